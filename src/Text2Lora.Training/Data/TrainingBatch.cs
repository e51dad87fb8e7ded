using Text2Lora.Abstractions;
using Text2Lora.Lora;
using static TorchSharp.torch;
using Text2Lora.Tasks;

namespace Text2Lora.Training.Data;

/// <summary>
/// Examples padded into one batch: ids and labels [N, T]. Padding goes on the right with label −100 and no attention
/// mask: under causal attention a real token never sees the padding after it, so the loss is exactly that of the
/// unpadded sequences (and the model keeps its fused, mask-free attention path). Owns its tensors.
/// </summary>
public sealed class TrainingBatch : IDisposable
{
    private TrainingBatch(Tensor inputIds, Tensor labels, long labelledTokens)
    {
        InputIds = inputIds;
        Labels = labels;
        LabelledTokens = labelledTokens;
    }

    /// <summary>Token ids, int64 [N, T].</summary>
    public Tensor InputIds { get; }

    /// <summary>Labels, int64 [N, T]; −100 on prompt and padding positions.</summary>
    public Tensor Labels { get; }

    /// <summary>Labels the loss counts (each sequence's first label is never predicted: the loss shifts by one).</summary>
    public long LabelledTokens { get; }

    /// <summary>Number of sequences N.</summary>
    public int Count => (int)InputIds.shape[0];

    /// <summary>Pads <paramref name="examples"/> into a batch on <paramref name="device"/>.</summary>
    public static TrainingBatch Create(IReadOnlyList<TokenizedExample> examples, int padTokenId, Device device)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (examples.Count == 0)
        {
            throw new ArgumentException("A batch needs at least one example.", nameof(examples));
        }

        var length = examples.Max(e => e.InputIds.Count);
        var ids = new long[examples.Count * length];
        var labels = new long[examples.Count * length];
        long labelled = 0;
        for (var i = 0; i < examples.Count; i++)
        {
            var example = examples[i];
            for (var t = 0; t < length; t++)
            {
                var real = t < example.InputIds.Count;
                ids[(i * length) + t] = real ? example.InputIds[t] : padTokenId;
                labels[(i * length) + t] = real ? example.Labels[t] : TokenizedExample.IgnoreIndex;
            }

            labelled += example.Labels.Skip(1).Count(l => l != TokenizedExample.IgnoreIndex);
        }

        return new TrainingBatch(tensor(ids, [examples.Count, length], device: device), tensor(labels, [examples.Count, length], device: device), labelled);
    }

    /// <summary>
    /// Completion cross-entropy of <paramref name="model"/> on this batch with <paramref name="adapters"/>
    /// (label smoothing and NEFTune as in transformers' Trainer; both only for training), averaged over tokens or,
    /// with <see cref="LossReduction.SampleMean"/>, per sequence first.
    /// </summary>
    public Tensor Loss(IBaseModel model, ActiveAdapters? adapters, double labelSmoothing = 0, double? neftuneNoiseAlpha = null, LossReduction reduction = LossReduction.TokenMean)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var output = model.Forward(new ModelForwardInput(InputIds)
        {
            Labels = Labels,
            LabelSmoothing = labelSmoothing,
            LossReduction = reduction,
            Adapters = adapters,
            ComputeLogits = false,
            NeftuneNoiseAlpha = neftuneNoiseAlpha is > 0 ? neftuneNoiseAlpha : null,
        });
        return output.Loss!.alias();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        InputIds.Dispose();
        Labels.Dispose();
    }
}
