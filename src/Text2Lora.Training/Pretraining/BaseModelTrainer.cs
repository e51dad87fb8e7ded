using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Text2Lora.Abstractions;
using Text2Lora.Models.Llama;
using Text2Lora.Runtime;
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
public sealed class BaseModelTrainer : TrainerBase<BaseModelPretrainingOptions>
{
    private readonly ILoggerFactory _loggerFactory;

    /// <summary>Creates the trainer; the options are validated here.</summary>
    /// <exception cref="TrainerConfigException">An option is invalid; names the field.</exception>
    public BaseModelTrainer(BaseModelPretrainingOptions options, ILoggerFactory? loggerFactory = null)
        : base(options, "base model pretraining options", (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<BaseModelTrainer>())
    {
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
    }

    /// <inheritdoc />
    protected override TrainingLoopOptions LoopOptions => Options.Loop;

    /// <inheritdoc />
    protected override ILogger LoopLogger => _loggerFactory.CreateLogger<TrainingLoop>();

    /// <inheritdoc />
    protected override ITrainingObjective BuildObjective(ICollection<IDisposable> owned, CancellationToken cancellationToken)
    {
        var tokenizer = TokenizerLoader.Load(Options.TokenizerDirectory);
        var taskNames = Options.Tasks.Count > 0 ? Options.Tasks : TaskSuiteManifest.Read(Options.TaskSuiteDirectory).Train;
        var tasks = TaskFolderReader.ReadTasks(Options.TaskSuiteDirectory, taskNames);
        var config = Options.Model.ToConfig(tokenizer.VocabularySize, tokenizer.BosTokenId, tokenizer.EosTokenIds, tokenizer.PadTokenId ?? 0);
        var model = LlamaFamilyModel.CreateRandom(config, Options.Loop.Seed, Options.Model.InitializerRange, new ModelLoadOptions { Device = TrainingDevice });
        owned.Add(model);
        model.SetWeightsTrainable(true);
        var objective = new BaseModelPretrainingObjective(model, tokenizer, tasks, Options);
        var parameters = model.WeightsModule.parameters().Sum(p => p.numel());
        Logger.LogInformation("Pretraining a {Layers}-layer, hidden-{Hidden} llama model ({Parameters:N0} parameters) on {Tasks} tasks: {Examples} training examples, {Validation} validation sequences.",
            config.NumHiddenLayers, config.HiddenSize, parameters, tasks.Count, objective.TrainingExampleCount, objective.ValidationSequenceCount);
        return objective;
    }
}
