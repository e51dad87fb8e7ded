using Microsoft.Extensions.Logging;
using Text2Lora.Abstractions;
using Text2Lora.Runtime;
using Text2Lora.Training.Configuration;
using Text2Lora.Tasks;
using Text2Lora.Training.Data;
using Text2Lora.Training.Loop;
using Text2Lora.Training.Models;

namespace Text2Lora.Training.Lora;

/// <summary>
/// Trains a plain LoRA adapter on a frozen base model with the completion-only LM loss: on one task (an oracle
/// adapter, e.g. a target for reconstruction training) or on many tasks at once (the paper's multi-task LoRA
/// baseline). The artifact (<c>final/</c>, <c>best/</c>) is a PEFT adapter folder.
/// </summary>
public sealed class LoraTrainer : TrainerBase<LoraTrainerOptions>
{
    /// <summary>Creates the trainer; the options are validated here.</summary>
    /// <exception cref="TrainerConfigException">An option is invalid; names the field.</exception>
    public LoraTrainer(LoraTrainerOptions options, ILogger<LoraTrainer>? logger = null)
        : base(options, nameof(LoraTrainerOptions), logger)
    {
    }

    /// <inheritdoc />
    protected override TrainingLoopOptions LoopOptions => Options.Loop;

    /// <inheritdoc />
    /// <exception cref="TaskDataFormatException">A task folder or file is missing or malformed (nothing is written then).</exception>
    protected override ITrainingObjective BuildObjective(ICollection<IDisposable> owned, CancellationToken cancellationToken)
    {
        var baseModel = LoadedBaseModel.Load(Options.BaseModel, TrainingDevice);
        owned.Add(baseModel);
        var data = TaskDataset.Load(Options.Data, baseModel.Formatter);
        return CreateObjective(baseModel, data);
    }

    /// <summary>The objective over a loaded model and data (the base model stays the caller's; benchmarks pass synthetic ones).</summary>
    /// <exception cref="ArgumentException">A target module does not exist in the model.</exception>
    internal LoraObjective CreateObjective(LoadedBaseModel baseModel, TaskDataset data)
    {
        var targets = Options.Lora.Select(baseModel.Model.LoraTargets);
        Logger.LogInformation("LoRA training on {Tasks} task(s), {Examples} examples; rank {Rank}, modules {Modules}.",
            data.Train.Count, data.Train.Sum(t => t.Examples.Count), Options.Lora.Rank, string.Join(", ", Options.Lora.TargetModules));
        var lora = new TrainableLora(Options.Lora.ToConfig(Options.BaseModel.RecordedId), targets, Options.Loop.Seed, baseModel.Model.Device);
        return new LoraObjective(baseModel, data, lora, Options);
    }
}
