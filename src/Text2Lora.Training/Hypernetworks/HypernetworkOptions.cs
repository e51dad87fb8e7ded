using System.ComponentModel.DataAnnotations;
using Text2Lora.Hypernetworks;

namespace Text2Lora.Training.Hypernetworks;

/// <summary>The size of a hypernetwork trained from scratch (the reference's <c>hypernet_latent_size</c>, <c>head_in_size</c>).</summary>
public sealed class HypernetworkOptions : IValidatableObject
{
    /// <summary>L, M or S.</summary>
    public HypernetworkSize Size { get; set; } = HypernetworkSize.M;

    /// <summary>Trunk width (multiple of 4) [hypernet_latent_size].</summary>
    [Range(4, 1 << 16)]
    public int LatentSize { get; set; } = 128;

    /// <summary>Input width of the output heads [head_in_size].</summary>
    [Range(1, 1 << 16)]
    public int HeadInSize { get; set; } = 512;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (LatentSize % 4 != 0)
        {
            yield return new ValidationResult("must be a multiple of 4 (the layer depth and type embeddings are a quarter of it each).", [nameof(LatentSize)]);
        }
    }

    /// <summary>The architecture for task embeddings of size <paramref name="taskEmbeddingSize"/>.</summary>
    public HyperModulatorArchitecture ToArchitecture(int taskEmbeddingSize, HypernetworkTrainingTask task, bool headBias, bool predictZScore = false, bool factorized = false, double deltaWScaling = 10000) => new()
    {
        TaskEmbeddingSize = taskEmbeddingSize,
        LatentSize = LatentSize,
        HeadInSize = HeadInSize,
        SharedABHead = Size != HypernetworkSize.L,
        AutoregressiveGeneration = Size == HypernetworkSize.S,
        LearnablePositionEmbedding = Size == HypernetworkSize.S,
        HeadBias = headBias,
        TrainingTask = task,
        PredictZScore = predictZScore,
        Factorized = factorized,
        DeltaWScaling = deltaWScaling,
    };
}
