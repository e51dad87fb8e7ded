using static TorchSharp.torch;

namespace Text2Lora.Lora;

/// <summary>
/// The low-rank factors of one adapted linear layer: ΔW = scaling · B · A, with A [r, in] and B [out, r]
/// (PEFT's <c>lora_A.weight</c> / <c>lora_B.weight</c>). Owns its tensors.
/// </summary>
public sealed class LoraWeights : IDisposable
{
    /// <summary>Wraps <paramref name="a"/> [r, in] and <paramref name="b"/> [out, r]; takes ownership.</summary>
    /// <exception cref="ArgumentException">The shapes do not form a rank-r pair.</exception>
    public LoraWeights(Tensor a, Tensor b, double scaling)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.dim() != 2 || b.dim() != 2 || a.shape[0] != b.shape[1])
        {
            throw new ArgumentException($"LoRA factors must be A [r, in] and B [out, r]; got A [{string.Join(", ", a.shape)}] and B [{string.Join(", ", b.shape)}].");
        }

        A = a;
        B = b;
        Scaling = scaling;
    }

    /// <summary>Down projection [r, in].</summary>
    public Tensor A { get; }

    /// <summary>Up projection [out, r].</summary>
    public Tensor B { get; }

    /// <summary>The factor PEFT multiplies B·A by (alpha/r or alpha/sqrt(r)).</summary>
    public double Scaling { get; }

    /// <summary>Rank r.</summary>
    public int Rank => (int)A.shape[0];

    /// <summary>Input features.</summary>
    public int InFeatures => (int)A.shape[1];

    /// <summary>Output features.</summary>
    public int OutFeatures => (int)B.shape[0];

    /// <summary>The dense update scaling · B · A [out, in] (a new tensor).</summary>
    public Tensor DeltaWeight()
    {
        using var product = B.matmul(A);
        return product.mul(Scaling);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        A.Dispose();
        B.Dispose();
    }
}
