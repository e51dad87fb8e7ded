using static TorchSharp.torch;

namespace Text2Lora.Models.Llama;

/// <summary>
/// Rotary position embedding tables (HF <c>rotate_half</c> layout: dims i and i + d/2 form a pair).
/// cos/sin are computed once per position in float32 exactly as transformers does
/// (<c>freqs = position · inv_freq</c>, <c>emb = cat(freqs, freqs)</c>) and looked up, never recomputed per step.
/// </summary>
internal sealed class RotaryEmbedding : IDisposable
{
    private readonly Tensor _invFreq;
    private readonly Device _device;
    private Tensor _cos;
    private Tensor _sin;

    public RotaryEmbedding(LlamaFamilyConfig config, Device device)
    {
        _device = device;
        _invFreq = InverseFrequencies(config.HeadDim, config.RopeTheta, config.RopeScaling).to(device);
        (_cos, _sin) = Tables(Math.Max(config.MaxPositionEmbeddings, 1));
    }

    /// <summary>Positions the tables currently cover.</summary>
    public long Capacity => _cos.shape[0];

    /// <summary>
    /// transformers' <c>_compute_default_rope_parameters</c> / <c>_compute_llama3_parameters</c> in float32:
    /// <c>inv_freq_i = 1 / theta^(2i/d)</c>; linear scaling divides by the factor; llama3 divides low-frequency
    /// bands (wavelength above original_len/low_factor) by the factor, keeps high-frequency ones and interpolates between.
    /// </summary>
    internal static Tensor InverseFrequencies(int headDim, double theta, RopeScaling? scaling)
    {
        using var scope = NewDisposeScope();
        var exponents = arange(0, headDim, 2, ScalarType.Int64).to_type(ScalarType.Float32).div(headDim);
        // Python's `scalar / tensor` is `tensor.reciprocal() * scalar`; the same ops give the same float32 bits.
        var invFreq = full_like(exponents, theta).pow(exponents).reciprocal();
        if (scaling is { RopeType: "linear" })
        {
            invFreq = invFreq.div(scaling.Factor);
        }
        else if (scaling is { RopeType: "llama3" })
        {
            var oldContext = (double)scaling.OriginalMaxPositionEmbeddings;
            var lowFreqWavelen = oldContext / scaling.LowFreqFactor;
            var highFreqWavelen = oldContext / scaling.HighFreqFactor;
            var wavelen = invFreq.reciprocal().mul(2 * Math.PI);
            var scaled = where(wavelen.gt(lowFreqWavelen), invFreq.div(scaling.Factor), invFreq);
            var smooth = wavelen.reciprocal().mul(oldContext).sub(scaling.LowFreqFactor).div(scaling.HighFreqFactor - scaling.LowFreqFactor);
            var smoothed = smooth.neg().add(1).mul(scaled).div(scaling.Factor).add(smooth.mul(scaled));
            var medium = wavelen.lt(highFreqWavelen).logical_not().logical_and(wavelen.gt(lowFreqWavelen).logical_not());
            invFreq = where(medium, smoothed, scaled);
        }

        return invFreq.MoveToOuterDisposeScope();
    }

    /// <summary>cos and sin [N, T, head_dim] for <paramref name="positionIds"/> [N, T], in <paramref name="dtype"/>.</summary>
    public (Tensor Cos, Tensor Sin) Lookup(Tensor positionIds, ScalarType dtype)
    {
        long maxPosition;
        using (var max = positionIds.max())
        {
            maxPosition = max.item<long>();
        }

        if (maxPosition >= Capacity)
        {
            var (cos, sin) = Tables(Math.Max(maxPosition + 1, Capacity * 2));
            _cos.Dispose();
            _sin.Dispose();
            (_cos, _sin) = (cos, sin);
        }

        using var scope = NewDisposeScope();
        var flat = positionIds.reshape(-1);
        long[] shape = [.. positionIds.shape, _cos.shape[1]];
        var c = _cos.index_select(0, flat).view(shape).to_type(dtype);
        var s = _sin.index_select(0, flat).view(shape).to_type(dtype);
        return (c.MoveToOuterDisposeScope(), s.MoveToOuterDisposeScope());
    }

    private (Tensor Cos, Tensor Sin) Tables(long positions)
    {
        using var scope = NewDisposeScope();
        var t = arange(positions, ScalarType.Float32, _device);
        var freqs = t.unsqueeze(1).mul(_invFreq.unsqueeze(0));
        var emb = cat([freqs, freqs], 1);
        return (emb.cos().MoveToOuterDisposeScope(), emb.sin().MoveToOuterDisposeScope());
    }

    public void Dispose()
    {
        _invFreq.Dispose();
        _cos.Dispose();
        _sin.Dispose();
    }
}
