using Text2Lora.Tests.Infrastructure;
using Microsoft.Extensions.AI;
using Text2Lora.Abstractions;
using Text2Lora.Encoders;
using Text2Lora.Runtime;
using Text2Lora.Tests.Fakes;

namespace Text2Lora.Tests.Encoders;

[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class TaskEncoderEmbeddingGeneratorTests
{
    public TaskEncoderEmbeddingGeneratorTests() => TorchRuntime.EnsureAvailable();

    [Fact]
    public async Task Generated_embeddings_equal_the_encoder_rows_and_carry_metadata()
    {
        ITaskEncoder encoder = SharedMiniLm.Instance;
        using var generator = encoder.AsEmbeddingGenerator();
        string[] texts = ["Answer trivia questions.", "Write unit tests."];

        var embeddings = await generator.GenerateAsync(texts);

        using var direct = encoder.Encode(texts);
        var flat = direct.data<float>().ToArray();
        Assert.Equal(2, embeddings.Count);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal(flat[(i * 384)..((i + 1) * 384)], embeddings[i].Vector.ToArray());
            Assert.Equal(MiniLmTaskEncoder.ModelId, embeddings[i].ModelId);
        }

        var metadata = generator.GetService<EmbeddingGeneratorMetadata>();
        Assert.NotNull(metadata);
        Assert.Equal(384, metadata.DefaultModelDimensions);
        Assert.Equal(MiniLmTaskEncoder.ModelId, metadata.DefaultModelId);
        Assert.Same(encoder, generator.GetService<ITaskEncoder>());
    }

    [Fact]
    public async Task Empty_values_are_rejected_and_cancellation_is_honoured()
    {
        using var generator = new CountingTaskEncoder().AsEmbeddingGenerator();
        await Assert.ThrowsAsync<ArgumentException>(() => generator.GenerateAsync(["fine", ""]));
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => generator.GenerateAsync(["fine"], cancellationToken: cts.Token));
    }
}
