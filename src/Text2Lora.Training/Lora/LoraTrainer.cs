using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Text2Lora.Abstractions;
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
public sealed class LoraTrainer : ITrainer
{
    private readonly LoraTrainerOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates the trainer; the options are validated here.</summary>
    /// <exception cref="TrainerConfigException">An option is invalid; names the field.</exception>
    public LoraTrainer(LoraTrainerOptions options, ILogger<LoraTrainer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        TrainerConfigFile.Validate(options, nameof(LoraTrainerOptions));
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    /// <exception cref="TaskDataFormatException">A task folder or file is missing or malformed (nothing is written then).</exception>
    public async Task<TrainingResult> TrainAsync(IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        // Everything that can fail on bad input happens before the loop touches the output folder.
        using var baseModel = LoadedBaseModel.Load(_options.BaseModel);
        var data = TaskDataset.Load(_options.Data, baseModel.Formatter);
        using var objective = CreateObjective(baseModel, data);
        return await new TrainingLoop(_options.Loop, _logger).RunAsync(objective, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The objective over a loaded model and data (the base model stays the caller's; benchmarks pass synthetic ones).</summary>
    /// <exception cref="ArgumentException">A target module does not exist in the model.</exception>
    internal LoraObjective CreateObjective(LoadedBaseModel baseModel, TaskDataset data)
    {
        var targets = _options.Lora.Select(baseModel.Model.LoraTargets);
        _logger.LogInformation("LoRA training on {Tasks} task(s), {Examples} examples; rank {Rank}, modules {Modules}.",
            data.Train.Count, data.Train.Sum(t => t.Examples.Count), _options.Lora.Rank, string.Join(", ", _options.Lora.TargetModules));
        var lora = new TrainableLora(_options.Lora.ToConfig(_options.BaseModel.RecordedId), targets, _options.Loop.Seed);
        return new LoraObjective(baseModel, data, lora, _options);
    }
}
