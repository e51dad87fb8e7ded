using static TorchSharp.torch;

namespace Text2Lora.Abstractions;

/// <summary>Results of <see cref="IBaseModel.Forward"/>; owns its tensors.</summary>
public sealed class ModelForwardOutput : IDisposable
{
    /// <summary>Creates the output; takes ownership of the tensors.</summary>
    public ModelForwardOutput(Tensor? logits, IReadOnlyList<Tensor>? hiddenStates, Tensor? loss)
    {
        Logits = logits;
        HiddenStates = hiddenStates;
        Loss = loss;
    }

    /// <summary>Next-token logits [N, T, vocab] (soft-capped for Gemma 2); null when not requested.</summary>
    public Tensor? Logits { get; }

    /// <summary>When requested: [0] embeddings, [i] output of layer i−1, [L] final-normed state; each [N, T, hidden].</summary>
    public IReadOnlyList<Tensor>? HiddenStates { get; }

    /// <summary>Causal-LM loss over labels ≠ −100, reduced as <see cref="ModelForwardInput.LossReduction"/> asks (float32 scalar), when labels were given.</summary>
    public Tensor? Loss { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        Logits?.Dispose();
        Loss?.Dispose();
        foreach (var t in HiddenStates ?? [])
        {
            t.Dispose();
        }
    }
}
