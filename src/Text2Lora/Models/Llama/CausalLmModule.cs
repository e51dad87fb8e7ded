using TorchSharp;
using Text2Lora.Lora;
using static TorchSharp.torch;

namespace Text2Lora.Models.Llama;

/// <summary>The module tree of a <c>*ForCausalLM</c>: <c>model</c> plus <c>lm_head</c> (absent when tied to the embedding).</summary>
internal sealed class CausalLmModule : nn.Module
{
    private readonly DecoderStack model;
    private readonly LoraLinear? lm_head;

    public CausalLmModule(LlamaFamilyConfig config, ScalarType dtype, Device device)
        : base("causal_lm")
    {
        model = new DecoderStack(config, dtype, device);
        lm_head = config.TieWordEmbeddings ? null : new LoraLinear("lm_head", config.HiddenSize, config.VocabSize, false, dtype, device);
        RegisterComponents();
    }

    public DecoderStack Model => model;

    /// <summary>Output-head weight [vocab, hidden]: <c>lm_head.weight</c>, or the embedding table when tied.</summary>
    public Tensor HeadWeight => lm_head?.Weight ?? model.EmbedTokens.Weight;
}
