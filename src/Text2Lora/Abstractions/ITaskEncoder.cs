using static TorchSharp.torch;

namespace Text2Lora.Abstractions;

/// <summary>Embeds task descriptions into the vectors a hypernetwork consumes.</summary>
public interface ITaskEncoder
{
    /// <summary>A stable identifier of the encoder (e.g. <c>sentence-transformers/all-MiniLM-L6-v2</c>), stored in checkpoints.</summary>
    string Id { get; }

    /// <summary>Embedding size D.</summary>
    int EmbeddingSize { get; }

    /// <summary>Embeds the descriptions into a float32 CPU tensor [N, D] that the caller owns.</summary>
    /// <exception cref="ArgumentException">A description is empty or whitespace.</exception>
    Tensor Encode(IReadOnlyList<string> descriptions, CancellationToken cancellationToken = default);
}
