using Text2Lora.Abstractions;
using Text2Lora.Lora;

namespace Text2Lora.LoraGeneration;

/// <summary>Operations built on <see cref="ILoraGenerator"/>.</summary>
public static class LoraGeneratorExtensions
{
    /// <summary>
    /// Generates an adapter per description in one batched pass and mixes them exactly in weight space
    /// (ΔW = Σ wᵢ ΔWᵢ, rank Σ rᵢ; see <see cref="AdapterMixer"/>). The caller owns the result.
    /// </summary>
    /// <exception cref="ArgumentException">No descriptions, an empty description or a non-finite weight.</exception>
    public static LoraAdapter FromWeightedDescriptions(this ILoraGenerator generator, IEnumerable<(string Description, double Weight)> mixture)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(mixture);
        var parts = mixture.ToList();
        if (parts.Count == 0)
        {
            throw new ArgumentException("At least one description is needed to mix.", nameof(mixture));
        }

        var adapters = generator.FromDescriptions(parts.Select(p => p.Description));
        try
        {
            return AdapterMixer.Mix(adapters, [.. parts.Select(p => p.Weight)]);
        }
        finally
        {
            foreach (var adapter in adapters)
            {
                adapter.Dispose();
            }
        }
    }
}
