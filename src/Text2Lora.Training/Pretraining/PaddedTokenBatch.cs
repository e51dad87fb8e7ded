using Text2Lora.Training.Data;
using static TorchSharp.torch;

namespace Text2Lora.Training.Pretraining;

/// <summary>
/// Tokenized examples stacked into right-padded <c>[N, T]</c> tensors for the LM loss: ids padded with the pad id,
/// labels with <see cref="TokenizedExample.IgnoreIndex"/>. Right padding needs no attention mask in a causal model:
/// real tokens only attend to earlier real tokens, and padded positions carry no loss.
/// </summary>
internal static class PaddedTokenBatch
{
    /// <summary>The ids and labels tensors (int64, on <paramref name="device"/>) and the number of labelled tokens.</summary>
    public static (Tensor InputIds, Tensor Labels, long LabelledTokens) Create(IReadOnlyList<TokenizedExample> examples, int padTokenId, Device device)
    {
        ArgumentOutOfRangeException.ThrowIfZero(examples.Count);
        var width = examples.Max(e => e.InputIds.Count);
        var ids = new long[examples.Count * width];
        var labels = new long[examples.Count * width];
        Array.Fill(ids, padTokenId);
        Array.Fill(labels, TokenizedExample.IgnoreIndex);
        long labelled = 0;
        for (var row = 0; row < examples.Count; row++)
        {
            var example = examples[row];
            for (var t = 0; t < example.InputIds.Count; t++)
            {
                ids[(row * width) + t] = example.InputIds[t];
                labels[(row * width) + t] = example.Labels[t];
            }

            // The first position's label is never predicted (the loss shifts by one).
            labelled += example.Labels.Skip(1).Count(l => l != TokenizedExample.IgnoreIndex);
        }

        return (tensor(ids, [examples.Count, width], device: device), tensor(labels, [examples.Count, width], device: device), labelled);
    }
}
