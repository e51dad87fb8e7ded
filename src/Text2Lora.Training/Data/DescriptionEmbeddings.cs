using Text2Lora.Abstractions;
using static TorchSharp.torch;

namespace Text2Lora.Training.Data;

/// <summary>
/// The task encoder's embeddings of each task's first descriptions, computed once before training (as the reference
/// does: the encoder is frozen, so re-encoding every step would only cost time). Owns its tensors.
/// </summary>
public sealed class DescriptionEmbeddings : IDisposable
{
    private readonly Dictionary<string, Tensor> _byTask;

    private DescriptionEmbeddings(Dictionary<string, Tensor> byTask) => _byTask = byTask;

    /// <summary>Embeds the first <paramref name="perTask"/> descriptions (0: all) of every task in <paramref name="tasks"/> (by name).</summary>
    public static DescriptionEmbeddings Compute(ITaskEncoder encoder, IEnumerable<(string Name, IReadOnlyList<string> Descriptions)> tasks, int perTask, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(tasks);
        var byTask = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var task in tasks.DistinctBy(t => t.Name))
            {
                var descriptions = perTask > 0 ? task.Descriptions.Take(perTask).ToList() : [.. task.Descriptions];
                byTask[task.Name] = encoder.Encode(descriptions, cancellationToken);
            }
        }
        catch
        {
            foreach (var t in byTask.Values)
            {
                t.Dispose();
            }

            throw;
        }

        return new DescriptionEmbeddings(byTask);
    }

    /// <summary>Embeddings [n, D] of <paramref name="task"/>'s descriptions (do not dispose).</summary>
    public Tensor For(string task) => _byTask[task];

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in _byTask.Values)
        {
            t.Dispose();
        }

        _byTask.Clear();
    }
}
