using TorchSharp;
using static TorchSharp.torch;

namespace Text2Lora.Models.Llama;

/// <summary>
/// One pre-norm decoder layer: <c>h += attn(norm(h))</c>, <c>h += mlp(norm(h))</c>. With Gemma 2's sandwich norms the
/// attention and MLP outputs are normalised again before the residual add (<c>post_attention_layernorm</c> then acts
/// on the attention output, and <c>pre/post_feedforward_layernorm</c> wrap the MLP).
/// </summary>
internal sealed class DecoderLayer : nn.Module<DecoderLayerInput, Tensor>
{
    private readonly RmsNorm input_layernorm;
    private readonly SelfAttention self_attn;
    private readonly RmsNorm post_attention_layernorm;
    private readonly RmsNorm? pre_feedforward_layernorm;
    private readonly RmsNorm? post_feedforward_layernorm;
    private readonly GatedMlp mlp;

    public DecoderLayer(int index, LlamaFamilyConfig config, ScalarType dtype, Device device)
        : base(index.ToString(System.Globalization.CultureInfo.InvariantCulture))
    {
        var prefix = $"model.layers.{index}.";
        var (h, eps, plusOne) = (config.HiddenSize, config.RmsNormEps, config.NormWeightPlusOne);
        input_layernorm = new RmsNorm("input_layernorm", h, eps, plusOne, dtype, device);
        self_attn = new SelfAttention(prefix + "self_attn.", index, config, dtype, device);
        post_attention_layernorm = new RmsNorm("post_attention_layernorm", h, eps, plusOne, dtype, device);
        if (config.SandwichNorms)
        {
            pre_feedforward_layernorm = new RmsNorm("pre_feedforward_layernorm", h, eps, plusOne, dtype, device);
            post_feedforward_layernorm = new RmsNorm("post_feedforward_layernorm", h, eps, plusOne, dtype, device);
        }

        mlp = new GatedMlp(prefix + "mlp.", config, dtype, device);
        RegisterComponents();
    }

    public bool UsesFusedAttention => self_attn.UsesFusedKernel;

    public override Tensor forward(DecoderLayerInput input)
    {
        using var scope = NewDisposeScope();
        var residual = input.Hidden;
        var attended = self_attn.call(input with { Hidden = input_layernorm.call(residual) });
        Tensor hidden;
        if (pre_feedforward_layernorm is not null && post_feedforward_layernorm is not null)
        {
            hidden = residual.add(post_attention_layernorm.call(attended));
            var ff = mlp.call(pre_feedforward_layernorm.call(hidden), input.Adapters);
            hidden = hidden.add(post_feedforward_layernorm.call(ff));
        }
        else
        {
            hidden = residual.add(attended);
            hidden = hidden.add(mlp.call(post_attention_layernorm.call(hidden), input.Adapters));
        }

        return hidden.MoveToOuterDisposeScope();
    }
}
