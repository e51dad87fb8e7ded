using static TorchSharp.torch;

namespace Text2Lora.Hypernetworks.Modules;

/// <summary>
/// Rotary positions over the rank slots (S size without <c>learnable_pos_emb</c>): the reference applies
/// <c>LlamaRotaryEmbedding(dim = latent, base 10000)</c> with positions 0..r-1, i.e.
/// <c>rope(t) = t·cos + rotate_half(t)·sin</c>, angles <c>p / 10000^(2k/latent)</c> repeated for both halves.
/// Nothing is stored (the reference's <c>inv_freq</c> buffer is non-persistent), so it is recomputed per call.
/// </summary>
internal static class RotaryRankPositions
{
    /// <summary>Rotates <paramref name="input"/> [..., r, latent] by its rank position.</summary>
    public static Tensor Apply(Tensor input)
    {
        using var scope = NewDisposeScope();
        var rank = input.shape[^2];
        var width = input.shape[^1];
        var half = width / 2;
        var exponent = arange(0, width, 2, ScalarType.Int64, input.device).to_type(ScalarType.Float32).div(width);
        var inverseFrequency = full(half, 10000f, ScalarType.Float32, input.device).pow(exponent).reciprocal();
        var positions = arange(rank, ScalarType.Float32, input.device);
        var angles = positions.unsqueeze(1).mul(inverseFrequency.unsqueeze(0));   // [r, latent/2]
        var doubled = cat([angles, angles], dim: -1);                               // [r, latent]
        var cos = doubled.cos().to_type(input.dtype);
        var sin = doubled.sin().to_type(input.dtype);
        var rotatedHalf = cat([input.narrow(-1, half, half).neg(), input.narrow(-1, 0, half)], dim: -1);
        return input.mul(cos).add(rotatedHalf.mul(sin)).MoveToOuterDisposeScope();
    }
}
