using Text2Lora.Lora;

namespace Text2Lora.Abstractions;

/// <summary>Turns plain-language task descriptions into LoRA adapters (task encoder + hypernetwork).</summary>
public interface ILoraGenerator
{
    /// <summary>Generates the adapter for one description. The caller owns (and disposes) it.</summary>
    LoraAdapter FromDescription(string description);

    /// <summary>Generates one adapter per description in one batched pass. The caller owns them.</summary>
    IReadOnlyList<LoraAdapter> FromDescriptions(IEnumerable<string> descriptions);

    /// <summary>Asynchronous <see cref="FromDescription"/>.</summary>
    Task<LoraAdapter> FromDescriptionAsync(string description, CancellationToken cancellationToken = default);

    /// <summary>Asynchronous <see cref="FromDescriptions"/>.</summary>
    Task<IReadOnlyList<LoraAdapter>> FromDescriptionsAsync(IEnumerable<string> descriptions, CancellationToken cancellationToken = default);
}
