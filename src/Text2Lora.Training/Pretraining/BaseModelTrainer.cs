using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Text2Lora.Abstractions;
using Text2Lora.Models.Llama;
using Text2Lora.Tokenization;
using Text2Lora.Training.Configuration;
using Text2Lora.Tasks;
using Text2Lora.Training.Loop;

namespace Text2Lora.Training.Pretraining;

/// <summary>
/// Trains a Llama-architecture base model from scratch (<see cref="BaseModelPretrainingObjective"/> through the shared
/// <see cref="TrainingLoop"/>): reads the tokenizer and the task suite's training tasks, creates the model with
/// Hugging Face's initialisation seeded by <see cref="TrainingLoopOptions.Seed"/>, and writes Hugging Face model folders
/// (<c>final/</c>, <c>best/</c>) that load through <see cref="LlamaFamilyModel.Load"/>.
/// </summary>
public sealed class BaseModelTrainer : ITrainer
{
    private readonly BaseModelPretrainingOptions _options;
    private readonly ILoggerFactory _loggerFactory;

    /// <summary>Creates the trainer; the options are validated here.</summary>
    /// <exception cref="TrainerConfigException">An option is invalid; names the field.</exception>
    public BaseModelTrainer(BaseModelPretrainingOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        TrainerConfigFile.Validate(options, "base model pretraining options");
        _options = options;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
    }

    /// <inheritdoc />
    public async Task<TrainingResult> TrainAsync(IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var logger = _loggerFactory.CreateLogger<BaseModelTrainer>();
        var tokenizer = TokenizerLoader.Load(_options.TokenizerDirectory);
        var taskNames = _options.Tasks.Count > 0 ? _options.Tasks : TaskSuiteManifest.Read(_options.TaskSuiteDirectory).Train;
        var tasks = TaskFolderReader.ReadTasks(_options.TaskSuiteDirectory, taskNames);
        var config = _options.Model.ToConfig(tokenizer.VocabularySize, tokenizer.BosTokenId, tokenizer.EosTokenIds, tokenizer.PadTokenId ?? 0);
        using var model = LlamaFamilyModel.CreateRandom(config, _options.Loop.Seed, _options.Model.InitializerRange);
        model.SetWeightsTrainable(true);
        var objective = new BaseModelPretrainingObjective(model, tokenizer, tasks, _options);
        var parameters = model.WeightsModule.parameters().Sum(p => p.numel());
        logger.LogInformation("Pretraining a {Layers}-layer, hidden-{Hidden} llama model ({Parameters:N0} parameters) on {Tasks} tasks: {Examples} training examples, {Validation} validation sequences.",
            config.NumHiddenLayers, config.HiddenSize, parameters, tasks.Count, objective.TrainingExampleCount, objective.ValidationSequenceCount);
        var loop = new TrainingLoop(_options.Loop, _loggerFactory.CreateLogger<TrainingLoop>());
        return await loop.RunAsync(objective, progress, cancellationToken).ConfigureAwait(false);
    }
}
