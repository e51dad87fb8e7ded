using Text2Lora.Abstractions;
using Text2Lora.Training.Loop;
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

    /// <summary>
    /// Embeds the first <paramref name="perTask"/> descriptions (0: all) of every task in <paramref name="tasks"/> (by name),
    /// kept on <paramref name="device"/> (default: where the encoder returns them, the CPU) so training steps copy nothing to it.
    /// </summary>
    public static DescriptionEmbeddings Compute(
        ITaskEncoder encoder, IEnumerable<(string Name, IReadOnlyList<string> Descriptions)> tasks, int perTask, CancellationToken cancellationToken = default, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(tasks);
        var byTask = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var task in tasks.DistinctBy(t => t.Name))
            {
                var descriptions = perTask > 0 ? task.Descriptions.Take(perTask).ToList() : [.. task.Descriptions];
                var embedded = encoder.Encode(descriptions, cancellationToken);
                if (device is not null && (embedded.device_type != device.type || embedded.device_index != Math.Max(device.index, 0)))
                {
                    var moved = embedded.to(device);
                    embedded.Dispose();
                    embedded = moved;
                }

                byTask[task.Name] = embedded;
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

    /// <summary>
    /// The embedding [D] of one of <paramref name="task"/>'s descriptions drawn uniformly with <paramref name="random"/>
    /// (one draw; the reference samples a description per task each step).
    /// </summary>
    public Tensor Draw(string task, TrainingRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var descriptions = _byTask[task];
        return descriptions[random.Next((int)descriptions.shape[0])];
    }

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
