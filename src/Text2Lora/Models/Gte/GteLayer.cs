using TorchSharp;
using static TorchSharp.torch;

namespace Text2Lora.Models.Gte;

/// <summary>One post-LN encoder layer (new-impl <c>NewLayer</c>): <c>x = attn_ln(x + attention(x))</c>, then <c>x = mlp_ln(x + mlp(x))</c>.</summary>
internal sealed class GteLayer : nn.Module<GteLayerInput, Tensor>
{
    private readonly GteAttention attention;
    private readonly GteMlp mlp;
    private readonly GteLayerNorm attn_ln;
    private readonly GteLayerNorm mlp_ln;

    public GteLayer(int index, GteConfig config, ScalarType dtype, Device device)
        : base(index.ToString(System.Globalization.CultureInfo.InvariantCulture))
    {
        attention = new GteAttention(config, dtype, device);
        mlp = new GteMlp(config, dtype, device);
        attn_ln = new GteLayerNorm("attn_ln", config.HiddenSize, config.LayerNormEps, dtype, device);
        mlp_ln = new GteLayerNorm("mlp_ln", config.HiddenSize, config.LayerNormEps, dtype, device);
        RegisterComponents();
    }

    public override Tensor forward(GteLayerInput input)
    {
        using var scope = NewDisposeScope();
        var attended = attn_ln.call(attention.call(input).add_(input.Hidden));
        var output = mlp_ln.call(mlp.call(attended).add_(attended));
        return output.MoveToOuterDisposeScope();
    }
}
