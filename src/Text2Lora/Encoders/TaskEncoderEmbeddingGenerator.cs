using static TorchSharp.torch;
using Microsoft.Extensions.AI;
using Text2Lora.Abstractions;

namespace Text2Lora.Encoders;

/// <summary>
/// Exposes a task encoder as a Microsoft.Extensions.AI <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>,
/// so it composes with M.E.AI pipelines (caching, telemetry) and vector stores. Does not own the encoder.
/// </summary>
public sealed class TaskEncoderEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly ITaskEncoder _encoder;
    private readonly EmbeddingGeneratorMetadata _metadata;

    /// <summary>Wraps <paramref name="encoder"/>.</summary>
    public TaskEncoderEmbeddingGenerator(ITaskEncoder encoder)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        _encoder = encoder;
        _metadata = new EmbeddingGeneratorMetadata("Text2Lora", providerUri: null, defaultModelId: encoder.Id, defaultModelDimensions: encoder.EmbeddingSize);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">A value is null, empty or whitespace only.</exception>
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var list = values.ToList();
        TaskDescriptions.NormalizeAll(list, nameof(values));
        return Task.Run(
            () =>
            {
                using var batch = _encoder.Encode(list, cancellationToken);
                var size = _encoder.EmbeddingSize;
                // data<T>() reads host memory of exactly T: bring the rows to the CPU in float32 first (an encoder may run on CUDA or in bf16).
                using var host = batch.to(ScalarType.Float32, CPU);
                var flat = host.data<float>().ToArray();
                var created = DateTimeOffset.UtcNow;
                var embeddings = Enumerable.Range(0, list.Count).Select(i => new Embedding<float>(flat.AsMemory(i * size, size))
                {
                    ModelId = _encoder.Id,
                    CreatedAt = created,
                });
                return new GeneratedEmbeddings<Embedding<float>>(embeddings);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(EmbeddingGeneratorMetadata))
        {
            return _metadata;
        }

        return serviceType.IsInstanceOfType(this) ? this : serviceType.IsInstanceOfType(_encoder) ? _encoder : null;
    }

    /// <summary>Nothing to release: the encoder belongs to the caller.</summary>
    public void Dispose()
    {
    }
}
