using Text2Lora.Lora;
using static TorchSharp.torch;

namespace Text2Lora.Abstractions;

/// <summary>
/// A Hugging Face decoder-only base model (Llama, Mistral, Qwen2, Gemma 2) with runtime LoRA: batched forward
/// (logits, hidden states, LM loss) and adapter merge/unmerge. Adapters are applied per call; swapping them never
/// reloads or modifies the base weights (except while one is merged). Decoding lives above the model
/// (<c>Text2Lora.TextGeneration</c>: <c>model.Generate(...)</c>, <c>TextGenerator</c>).
/// </summary>
public interface IBaseModel : IDisposable
{
    /// <summary>Sizes, context length and special tokens of the architecture, as read from <c>config.json</c>.</summary>
    BaseModelInfo Info { get; }

    /// <summary>Where the weights live.</summary>
    Device Device { get; }

    /// <summary>The weights' dtype (float32, bfloat16 or float16).</summary>
    ScalarType DType { get; }

    /// <summary>Layer count and the LoRA-adaptable modules with their in/out features.</summary>
    LoraTargetDescription LoraTargets { get; }

    /// <summary>Runs the model. Records autograd history when adapter tensors require gradients (training).</summary>
    ModelForwardOutput Forward(ModelForwardInput input);

    /// <summary>Checks <paramref name="adapter"/> fits this model and prepares it for every sequence of a batch.</summary>
    ActiveAdapters PrepareAdapter(LoraAdapter adapter);

    /// <summary>Checks the adapters fit this model and prepares adapter i (or none) for row i of a batch.</summary>
    ActiveAdapters PrepareAdapters(IReadOnlyList<LoraAdapter?> perSequence);

    /// <summary>The adapter currently merged into the base weights, if any.</summary>
    LoraAdapter? MergedAdapter { get; }

    /// <summary>Adds <c>s·B·A</c> of <paramref name="adapter"/> to the base weights (one merged adapter at a time).</summary>
    void MergeAdapter(LoraAdapter adapter);

    /// <summary>Subtracts the merged adapter again, restoring the base weights up to rounding.</summary>
    void UnmergeAdapter();
}
