using Text2Lora.Hypernetworks;
using Text2Lora.Hypernetworks.Checkpoints;
using Text2Lora.Training.Data;
using Text2Lora.Training.Loop;
using TorchSharp;
using static TorchSharp.torch;

namespace Text2Lora.Training.Reconstruction;

/// <summary>
/// T2L by reconstruction (the reference's <c>recon_trainer</c>): sampled library tasks → one random description each →
/// the hypernetwork's raw output → distance to the task's targets, ½(A term + B term) per module, averaged over modules
/// (ΔW: one term). Owns <paramref name="owned"/>.
/// </summary>
internal sealed class ReconstructionObjective(
    IReadOnlyList<string> tasks,
    DescriptionEmbeddings embeddings,
    ReconstructionTargets targets,
    T2LHypernetwork hypernetwork,
    ReconstructionTrainerOptions options,
    IReadOnlyList<IDisposable> owned) : ITrainingObjective, IDisposable
{
    public nn.Module TrainableModule => hypernetwork.Module;

    public T2LHypernetwork Hypernetwork => hypernetwork;

    public ReconstructionTargets Targets => targets;

    public Tensor ComputeLoss(TrainingStepContext context)
    {
        using var scope = NewDisposeScope();
        var random = context.Random;
        var count = options.TasksPerBatch == 0 ? tasks.Count : Math.Min(options.TasksPerBatch, tasks.Count);
        var chosen = random.Sample(tasks.Count, count);
        var rows = chosen.Select(k => embeddings.Draw(tasks[k], random)).ToList();

        var taskEmbeddings = stack(rows);
        // The chosen rows' indices are the only per-step upload (K int64s, as token ids are for SFT).
        var index = tensor(chosen.Select(k => (long)k).ToArray(), device: taskEmbeddings.device);
        using var predicted = hypernetwork.Module.Forward(taskEmbeddings);
        var perModule = predicted.Modules.Select(module =>
        {
            var (first, second) = targets[module];
            if (second is null)
            {
                // ΔW = B·A of the raw prediction against the scaled target ΔW.
                return Distance(predicted.B(module).matmul(predicted.A(module)), first.index_select(0, index));
            }

            return Distance(predicted.A(module), first.index_select(0, index)).add(Distance(predicted.B(module), second.index_select(0, index))).div(2);
        }).ToList();
        return stack(perModule).mean().MoveToOuterDisposeScope();
    }

    /// <summary>No held-out adapters: reconstruction has no validation loss (the reference has none either).</summary>
    public double? ComputeValidationLoss(CancellationToken cancellationToken) => null;

    public void SaveArtifact(string directory) => HypernetworkCheckpoint.Save(hypernetwork, directory);

    public void Dispose()
    {
        foreach (var disposable in owned.Reverse())
        {
            disposable.Dispose();
        }
    }

    private Tensor Distance(Tensor predicted, Tensor target) => options.Loss == ReconstructionLoss.Mse
        ? nn.functional.mse_loss(predicted, target)
        : nn.functional.l1_loss(predicted, target);
}
