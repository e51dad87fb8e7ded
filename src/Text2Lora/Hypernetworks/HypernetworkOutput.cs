using static TorchSharp.torch;

namespace Text2Lora.Hypernetworks;

/// <summary>
/// The LoRA factors a <see cref="HyperModulator"/> produced for N task embeddings, per target module and for all
/// layers at once: A [N, L, r, in] and B [N, L, out, r]. Owns its tensors (which carry autograd history when
/// computed with gradients enabled).
/// </summary>
public sealed class HypernetworkOutput : IDisposable
{
    private readonly Dictionary<string, (Tensor A, Tensor B)> _factors;

    internal HypernetworkOutput(IReadOnlyList<string> modules, Dictionary<string, (Tensor A, Tensor B)> factors)
    {
        Modules = modules;
        _factors = factors;
    }

    /// <summary>Target module names in layer-type order.</summary>
    public IReadOnlyList<string> Modules { get; }

    /// <summary>A [N, L, r, in] of <paramref name="module"/>.</summary>
    public Tensor A(string module) => _factors[module].A;

    /// <summary>B [N, L, out, r] of <paramref name="module"/>.</summary>
    public Tensor B(string module) => _factors[module].B;

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var (a, b) in _factors.Values)
        {
            a.Dispose();
            b.Dispose();
        }

        _factors.Clear();
    }
}
