using TorchSharp;
using static TorchSharp.torch;

namespace Text2Lora.Models.Gte;

/// <summary>
/// <c>attention</c>: one packed projection <c>qkv_proj</c> (q, k, v = first, second, third <c>hidden</c> outputs),
/// RoPE (rotate-half / NeoX layout) on q and k, <c>softmax(q kᵀ / √d + bias) v</c> through the fused
/// scaled-dot-product kernel, then <c>o_proj</c> (new-impl <c>NewAttention</c>).
/// </summary>
internal sealed class GteAttention : nn.Module<GteLayerInput, Tensor>
{
    private readonly GteLinear qkv_proj;
    private readonly GteLinear o_proj;
    private readonly long _heads;
    private readonly long _headDim;

    public GteAttention(GteConfig config, ScalarType dtype, Device device)
        : base("attention")
    {
        _heads = config.NumAttentionHeads;
        _headDim = config.HeadDim;
        qkv_proj = new GteLinear("qkv_proj", config.HiddenSize, 3L * config.HiddenSize, true, dtype, device);
        o_proj = new GteLinear("o_proj", config.HiddenSize, config.HiddenSize, true, dtype, device);
        RegisterComponents();
    }

    public override Tensor forward(GteLayerInput input)
    {
        using var scope = NewDisposeScope();
        var hidden = input.Hidden;
        var (batch, length, size) = (hidden.shape[0], hidden.shape[1], hidden.shape[2]);

        // [B, T, 3H] → [3, B, heads, T, d]: q, k, v are views of the one projection output.
        var qkv = qkv_proj.call(hidden).view(batch, length, 3, _heads, _headDim).permute(2, 0, 3, 1, 4);
        var q = Rotate(qkv[0], input.Cos, input.Sin);
        var k = Rotate(qkv[1], input.Cos, input.Sin);
        var v = qkv[2];
        var context = nn.functional.scaled_dot_product_attention(q, k, v, input.AttentionBias, 0.0, false);
        var merged = context.transpose(1, 2).reshape(batch, length, size);
        return o_proj.call(merged).MoveToOuterDisposeScope();
    }

    /// <summary><c>x·cos + rotate_half(x)·sin</c> with <c>rotate_half(x) = cat(−x[d/2:], x[:d/2])</c>; tables [T, d] broadcast over batch and heads.</summary>
    private Tensor Rotate(Tensor x, Tensor cos, Tensor sin)
    {
        var half = _headDim / 2;
        var rotated = cat([x.narrow(-1, half, half).neg(), x.narrow(-1, 0, half)], -1);
        return x.mul(cos).add_(rotated.mul_(sin));
    }
}
