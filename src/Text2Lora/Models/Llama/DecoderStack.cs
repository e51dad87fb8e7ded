using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Text2Lora.Models.Llama;

/// <summary>The <c>model</c> module of a <c>*ForCausalLM</c>: token embedding, decoder layers, final norm.</summary>
internal sealed class DecoderStack : nn.Module<DecoderStackInput, Tensor>
{
    private readonly TokenEmbedding embed_tokens;
    private readonly ModuleList<DecoderLayer> layers;
    private readonly RmsNorm norm;
    private readonly LlamaFamilyConfig _config;

    public DecoderStack(LlamaFamilyConfig config, ScalarType dtype, Device device)
        : base("model")
    {
        _config = config;
        embed_tokens = new TokenEmbedding("embed_tokens", config.VocabSize, config.HiddenSize, dtype, device);
        layers = new ModuleList<DecoderLayer>(Enumerable.Range(0, config.NumHiddenLayers).Select(i => new DecoderLayer(i, config, dtype, device)).ToArray());
        norm = new RmsNorm("norm", config.HiddenSize, config.RmsNormEps, config.NormWeightPlusOne, dtype, device);
        RegisterComponents();
    }

    public TokenEmbedding EmbedTokens => embed_tokens;

    /// <summary>Whether every layer uses the fused attention kernel (then causal-only biases may stay implicit).</summary>
    public bool AllFused => layers.All(l => l.UsesFusedAttention);

    public override Tensor forward(DecoderStackInput input)
    {
        using var scope = NewDisposeScope();
        var hidden = input.Embeddings;
        input.HiddenStates?.Add(hidden.alias().MoveToOuterDisposeScope());
        for (var i = 0; i < layers.Count; i++)
        {
            var bias = _config.UsesSlidingWindow(i) ? input.SlidingBias : input.GlobalBias;
            hidden = layers[i].call(new DecoderLayerInput(hidden, input.Cos, input.Sin, bias, input.Cache, input.Adapters));
            if (input.HiddenStates is { } states && i < layers.Count - 1)
            {
                states.Add(hidden.alias().MoveToOuterDisposeScope());
            }
        }

        var result = norm.call(hidden);
        input.HiddenStates?.Add(result.alias().MoveToOuterDisposeScope());
        return result.MoveToOuterDisposeScope();
    }
}
