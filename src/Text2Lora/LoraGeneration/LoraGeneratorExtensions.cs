using Text2Lora.Abstractions;
using Text2Lora.Lora;

namespace Text2Lora.LoraGeneration;

/// <summary>Operations built on <see cref="ILoraGenerator"/>.</summary>
public static class LoraGeneratorExtensions
{
    /// <summary>
    /// Generates an adapter per description in one batched pass and mixes them: by default exactly in weight space
    /// (ΔW = Σ wᵢ ΔWᵢ, rank Σ rᵢ), or with <see cref="AdapterMixing.FactorInterpolation"/> as the reference does
    /// (Σ wᵢAᵢ, Σ wᵢBᵢ); see <see cref="AdapterMixer"/>. The caller owns the result.
    /// </summary>
    /// <exception cref="ArgumentException">No descriptions, an empty description or a non-finite weight.</exception>
    public static LoraAdapter FromWeightedDescriptions(this ILoraGenerator generator, IEnumerable<(string Description, double Weight)> mixture, AdapterMixing mode = AdapterMixing.ExactDelta)
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
            return AdapterMixer.Mix(adapters, [.. parts.Select(p => p.Weight)], mode);
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
