using Text2Lora.Abstractions;
using Text2Lora.Hypernetworks;
using Text2Lora.Hypernetworks.Checkpoints;
using Text2Lora.Lora;
using Text2Lora.Tasks;
using Text2Lora.Training.Data;
using Text2Lora.Training.Loop;
using Text2Lora.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Text2Lora.Training.Sft;

/// <summary>
/// T2L by SFT (the reference's <c>sft_trainer.get_loss_batch</c>): sampled tasks → one description each → the
/// hypernetwork's LoRA per task, with gradients → the frozen base model with a per-sequence adapter →
/// completion cross-entropy (each sequence's token mean, then the mean over sequences, unless
/// <see cref="SftTrainerOptions.LossReduction"/> says otherwise) + <c>l2_reg_generated_w</c> · Σ_modules (mean A² + mean B²). Only the hypernetwork trains.
/// Owns <paramref name="owned"/> (the base model, embeddings, hypernetwork and, when it made it, the encoder).
/// </summary>
internal sealed class SftObjective(
    LoadedBaseModel baseModel,
    TaskDataset data,
    DescriptionEmbeddings embeddings,
    T2LHypernetwork hypernetwork,
    SftTrainerOptions options,
    IReadOnlyList<IDisposable> owned) : ITrainingObjective, IDisposable
{
    public nn.Module TrainableModule => hypernetwork.Module;

    public LoadedBaseModel BaseModel => baseModel;

    public T2LHypernetwork Hypernetwork => hypernetwork;

    public void Dispose()
    {
        foreach (var disposable in owned.Reverse())
        {
            disposable.Dispose();
        }
    }

    public Tensor ComputeLoss(TrainingStepContext context)
    {
        using var scope = NewDisposeScope();
        var random = context.Random;
        var tasks = random.Sample(data.Train.Count, Math.Min(options.TasksPerBatch, data.Train.Count)).Select(i => data.Train[i]).ToList();
        var rows = new List<Tensor>(tasks.Count);
        var examples = new List<TokenizedExample>(tasks.Count * options.ExamplesPerTask);
        foreach (var task in tasks)
        {
            rows.Add(embeddings.Draw(task.Name, random));
            examples.AddRange(ExampleSampler.From(task, options.ExamplesPerTask, random));
        }

        using var batch = TrainingBatch.Create(examples, baseModel.PadTokenId, baseModel.Model.Device);
        using var generated = hypernetwork.Module.Forward(stack(rows));
        var loss = LossWith(generated, batch, options.ExamplesPerTask, options.Lora.Dropout, options.LabelSmoothing, options.NeftuneNoiseAlpha);
        if (options.L2RegGeneratedWeights > 0)
        {
            var penalty = generated.Modules.Select(m => generated.A(m).square().mean().add(generated.B(m).square().mean())).Aggregate((x, y) => x.add(y));
            loss = loss.add(penalty.mul(options.L2RegGeneratedWeights));
        }

        return loss.MoveToOuterDisposeScope();
    }

    public double? ComputeValidationLoss(CancellationToken cancellationToken)
    {
        if (data.Validation.Count == 0)
        {
            return null;
        }

        var perTask = new List<double>();
        foreach (var task in data.Validation)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // A fixed description (the first) so that successive validations are comparable.
            using var scope = NewDisposeScope();
            using var generated = hypernetwork.Module.Forward(embeddings.For(task.Name).narrow(0, 0, 1));
            var losses = ExampleSampler.Batches(task, options.TasksPerBatch * options.ExamplesPerTask).Select(chunk =>
            {
                using var batch = TrainingBatch.Create(chunk, baseModel.PadTokenId, baseModel.Model.Device);
                using var loss = LossWith(generated, batch, chunk.Count, dropout: 0, labelSmoothing: 0, neftune: 0);
                return (double)loss.item<float>();
            }).ToList();
            perTask.Add(losses.Average());
        }

        return perTask.Average();
    }

    public void SaveArtifact(string directory) => HypernetworkCheckpoint.Save(hypernetwork, directory);

    /// <summary>The base model's loss on <paramref name="batch"/>, sequence i adapted by generated task i / <paramref name="perTask"/>.</summary>
    private Tensor LossWith(HypernetworkOutput generated, TrainingBatch batch, int perTask, double dropout, double labelSmoothing, double neftune)
    {
        using var scope = NewDisposeScope();
        var taskCount = generated.A(generated.Modules[0]).shape[0];
        var rowTask = arange(taskCount, ScalarType.Int64, generated.A(generated.Modules[0]).device).repeat_interleave(perTask).narrow(0, 0, batch.Count);
        var stacked = generated.Modules.ToDictionary(
            m => m,
            m => (generated.A(m).index_select(0, rowTask), generated.B(m).index_select(0, rowTask)),
            StringComparer.Ordinal);
        using var adapters = ActiveAdapters.PerSequenceStacked(hypernetwork.Targets, stacked, hypernetwork.AdapterConfig.ScalingFor, dropout, baseModel.Model.DType);
        return batch.Loss(baseModel.Model, adapters, labelSmoothing, neftune, options.LossReduction).MoveToOuterDisposeScope();
    }
}
