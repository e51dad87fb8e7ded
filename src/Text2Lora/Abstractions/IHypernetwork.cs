using Text2Lora.Lora;
using static TorchSharp.torch;

namespace Text2Lora.Abstractions;

/// <summary>
/// A T2L hypernetwork: maps task embeddings to LoRA adapters for one base-model architecture,
/// all layers and target modules in one batched forward pass.
/// </summary>
public interface IHypernetwork : IDisposable
{
    /// <summary>Size D of the task embeddings it consumes.</summary>
    int TaskEmbeddingSize { get; }

    /// <summary>The PEFT config of the adapters it generates (rank, alpha, rsLoRA, target modules, base model).</summary>
    LoraConfig AdapterConfig { get; }

    /// <summary>The base model's layer count and the shapes of the target modules.</summary>
    LoraTargetDescription Targets { get; }

    /// <summary>
    /// Generates one adapter per row of <paramref name="taskEmbeddings"/> [N, D] (eval mode, no gradients).
    /// The caller owns the returned adapters.
    /// </summary>
    IReadOnlyList<LoraAdapter> Generate(Tensor taskEmbeddings, CancellationToken cancellationToken = default);
}
