using static TorchSharp.torch;

namespace Text2Lora.Models.Gte;

/// <summary>
/// What <see cref="GteModel.Forward"/> returns; the caller owns and disposes it. Padded query positions are computed
/// but meaningless (attention masks keys only), as in the reference.
/// </summary>
/// <param name="LastHiddenState">Output of the last layer [B, T, hidden] in the model dtype.</param>
/// <param name="HiddenStates">When requested: the embedding output, then each layer's output (L + 1 tensors, the last equal to <paramref name="LastHiddenState"/>).</param>
public sealed record GteModelOutput(Tensor LastHiddenState, IReadOnlyList<Tensor>? HiddenStates) : IDisposable
{
    /// <inheritdoc />
    public void Dispose()
    {
        LastHiddenState.Dispose();
        foreach (var hidden in HiddenStates ?? [])
        {
            if (!ReferenceEquals(hidden, LastHiddenState))
            {
                hidden.Dispose();
            }
        }
    }
}
