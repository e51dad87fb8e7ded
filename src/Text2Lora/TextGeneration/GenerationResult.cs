using static TorchSharp.torch;

namespace Text2Lora.TextGeneration;

/// <summary>Output of a (batched) generation; owns <see cref="StepLogits"/>.</summary>
public sealed class GenerationResult : IDisposable
{
    /// <summary>Creates the result; takes ownership of <paramref name="stepLogits"/>.</summary>
    public GenerationResult(IReadOnlyList<GeneratedSequence> sequences, Tensor? stepLogits)
    {
        Sequences = sequences;
        StepLogits = stepLogits;
    }

    /// <summary>One entry per prompt, in order.</summary>
    public IReadOnlyList<GeneratedSequence> Sequences { get; }

    /// <summary>When requested: raw next-token logits [steps, N, vocab] (float32), one row per decoding step.</summary>
    public Tensor? StepLogits { get; }

    /// <inheritdoc />
    public void Dispose() => StepLogits?.Dispose();
}
