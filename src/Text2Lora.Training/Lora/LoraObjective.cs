using Text2Lora.IO.Peft;
using Text2Lora.Lora;
using Text2Lora.Training.Data;
using Text2Lora.Training.Loop;
using Text2Lora.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Text2Lora.Training.Lora;

/// <summary>Plain LoRA SFT: the adapter's factors are the only parameters; the base model is frozen. Owns <paramref name="lora"/>.</summary>
internal sealed class LoraObjective(LoadedBaseModel baseModel, TaskDataset data, TrainableLora lora, LoraTrainerOptions options) : ITrainingObjective, IDisposable
{
    public nn.Module TrainableModule => lora;

    public void Dispose() => lora.Dispose();

    public Tensor ComputeLoss(TrainingStepContext context)
    {
        // Multi-task: each example comes from a uniformly drawn task (one task: an oracle adapter).
        var examples = Enumerable.Range(0, options.BatchSize)
            .SelectMany(_ => ExampleSampler.From(data.Train[context.Random.Next(data.Train.Count)], 1, context.Random))
            .ToList();
        using var batch = TrainingBatch.Create(examples, baseModel.PadTokenId, baseModel.Model.Device);
        using var adapters = ActiveAdapters.Shared(lora.Adapter, baseModel.Model.Device, baseModel.Model.DType, options.Lora.Dropout);
        return batch.Loss(baseModel.Model, adapters, options.LabelSmoothing, options.NeftuneNoiseAlpha);
    }

    public double? ComputeValidationLoss(CancellationToken cancellationToken)
    {
        if (data.Validation.Count == 0)
        {
            return null;
        }

        using var adapters = ActiveAdapters.Shared(lora.Adapter, baseModel.Model.Device, baseModel.Model.DType);
        var perTask = new List<double>();
        foreach (var task in data.Validation)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var losses = new List<double>();
            foreach (var chunk in ExampleSampler.Batches(task, options.BatchSize))
            {
                using var scope = NewDisposeScope();
                using var batch = TrainingBatch.Create(chunk, baseModel.PadTokenId, baseModel.Model.Device);
                losses.Add(batch.Loss(baseModel.Model, adapters).item<float>());
            }

            perTask.Add(losses.Average());
        }

        // Each task weighs the same, however many examples it has.
        return perTask.Average();
    }

    public void SaveArtifact(string directory) => PeftAdapterFolder.Save(lora.Adapter, directory);
}
