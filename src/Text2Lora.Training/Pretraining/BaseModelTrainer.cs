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
        var manifest = Options.Tasks.Count > 0 && (Options.CorpusFraction == 0 || Options.CorpusFiles.Count > 0) ? null : TaskSuiteManifest.Read(Options.TaskSuiteDirectory);
        var taskNames = Options.Tasks.Count > 0 ? Options.Tasks : manifest!.Train;
        var tasks = TaskFolderReader.ReadTasks(Options.TaskSuiteDirectory, taskNames);
        var corpus = ReadCorpus(manifest);
        var config = Options.Model.ToConfig(tokenizer.VocabularySize, tokenizer.BosTokenId, tokenizer.EosTokenIds, tokenizer.PadTokenId ?? 0);
        var model = LlamaFamilyModel.CreateRandom(config, Options.Loop.Seed, Options.Model.InitializerRange, new ModelLoadOptions { Device = TrainingDevice });
        owned.Add(model);
        model.SetWeightsTrainable(true);
        var objective = new BaseModelPretrainingObjective(model, tokenizer, tasks, Options, corpus);
        var parameters = model.WeightsModule.parameters().Sum(p => p.numel());
        Logger.LogInformation("Pretraining a {Layers}-layer, hidden-{Hidden} llama model ({Parameters:N0} parameters) on {Tasks} tasks: {Examples} training examples, {Corpus} corpus records ({Fraction:P0} of each batch), {Validation} validation sequences.",
            config.NumHiddenLayers, config.HiddenSize, parameters, tasks.Count, objective.TrainingExampleCount, corpus.Count, Options.CorpusFraction, objective.ValidationSequenceCount);
        return objective;
    }

    /// <summary>The corpus records (none when <see cref="BaseModelPretrainingOptions.CorpusFraction"/> is 0).</summary>
    /// <exception cref="TaskDataFormatException">A corpus file is missing or malformed, or no file holds a record.</exception>
    private List<TaskExample> ReadCorpus(TaskSuiteManifest? manifest)
    {
        if (Options.CorpusFraction == 0)
        {
            return [];
        }

        var files = Options.CorpusFiles.Count > 0
            ? Options.CorpusFiles
            : manifest!.Pretraining.Select(f => Path.Combine(Options.TaskSuiteDirectory, f)).ToList();
        if (files.Count == 0)
        {
            throw new TaskDataFormatException(Path.Combine(Options.TaskSuiteDirectory, TaskSuiteManifest.FileName), "corpusFraction is above 0 but neither corpusFiles nor the suite's 'pretraining:' list names a corpus file");
        }

        var records = files.SelectMany(TaskFolderReader.ReadExamples).ToList();
        return records.Count > 0 ? records : throw new TaskDataFormatException(files[0], "the corpus files hold no record");
    }
}
