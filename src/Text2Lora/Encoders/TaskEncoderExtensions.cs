using Microsoft.Extensions.AI;
using Text2Lora.Abstractions;

namespace Text2Lora.Encoders;

/// <summary>Conversions of task encoders.</summary>
public static class TaskEncoderExtensions
{
    /// <summary>The encoder as a Microsoft.Extensions.AI embedding generator (not owning it).</summary>
    public static IEmbeddingGenerator<string, Embedding<float>> AsEmbeddingGenerator(this ITaskEncoder encoder) =>
        new TaskEncoderEmbeddingGenerator(encoder);

    /// <summary>The encoder behind an LRU cache of <paramref name="capacity"/> embeddings (not owning it).</summary>
    public static ITaskEncoder WithCache(this ITaskEncoder encoder, int capacity) => new CachingTaskEncoder(encoder, capacity);
}
