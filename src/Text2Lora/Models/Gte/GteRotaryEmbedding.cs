using static TorchSharp.torch;

namespace Text2Lora.Models.Gte;

/// <summary>
/// RoPE tables of new-impl's <c>RotaryEmbedding</c> / <c>NTKScalingRotaryEmbedding</c>. With NTK scaling (factor
/// f &gt; 1) the module re-caches at <c>max_position_embeddings · f</c> when it is built, which always exceeds
/// <c>max_position_embeddings</c>, so the scaled frequencies are in force for every input length:
/// <c>inv_freq[j] = 1 / (θ·f)^(2j/d) / f^(2/d)</c>. Without scaling <c>inv_freq[j] = 1 / θ^(2j/d)</c>. Longer inputs
/// only extend the tables with the same frequencies. Computed in float32 with the same tensor operations as PyTorch.
/// </summary>
internal sealed class GteRotaryEmbedding : IDisposable
{
    private readonly Tensor _invFreq;

    public GteRotaryEmbedding(GteConfig config, Device device)
    {
        var dim = config.HeadDim;
        var baseValue = config.RopeTheta * (config.NtkScalingFactor ?? 1.0);
        using var scope = NewDisposeScope();
        var exponents = arange(0, dim, 2, ScalarType.Int64).to_type(ScalarType.Float32).div(dim);
        var invFreq = pow(baseValue, exponents).reciprocal();
        if (config.NtkScalingFactor is { } factor)
        {
            invFreq = invFreq.div(Math.Pow(factor, 2.0 / dim));
        }

        _invFreq = invFreq.to(device).MoveToOuterDisposeScope();
    }

    /// <summary>The inverse frequencies [d/2], float32 (the live tensor; do not dispose).</summary>
    public Tensor InverseFrequencies => _invFreq;

    /// <summary>cos and sin tables [length, d] for positions 0..length−1 in <paramref name="dtype"/>: <c>emb = cat(freqs, freqs)</c>.</summary>
    public (Tensor Cos, Tensor Sin) Tables(long length, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var positions = arange(length, ScalarType.Float32, _invFreq.device);
        var freqs = outer(positions, _invFreq);
        var emb = cat([freqs, freqs], -1);
        var cos = emb.cos().to_type(dtype).MoveToOuterDisposeScope();
        var sin = emb.sin().to_type(dtype).MoveToOuterDisposeScope();
        return (cos, sin);
    }

    public void Dispose() => _invFreq.Dispose();
}
