using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Text2Lora.Abstractions;
using Text2Lora.Models.Llama;
using Text2Lora.Training.Configuration;
using Text2Lora.Tasks;
using Text2Lora.Training.Lora;
using Text2Lora.Training.Loop;
using Text2Lora.Training.Models;
using Text2Lora.Training.Pretraining;
using Text2Lora.Training.Reconstruction;
using Text2Lora.Training.Sft;

namespace Text2Lora.Reproduction;

/// <summary>
/// The embedded small-scale reproduction of T2L (issue 6), stage by stage, each stage the project's own trainer run
/// with its own config file: (1) the tiny base model from scratch on the suite's training tasks; (2) one oracle LoRA
/// per training task; (3) one multi-task LoRA; (4) T2L by SFT; (5) T2L by reconstruction of the oracle LoRAs;
/// (6) the results table (<see cref="SuiteEvaluation"/>, <see cref="ResultsReport"/>); (7) publishing the base model and
/// both hypernetworks. Every stage is seeded by its config, so a rerun with the same configs on the same machine
/// reproduces the artifacts. With <c>resume</c>, finished stages (recorded in <see cref="StageTiming"/>) are skipped and
/// an interrupted one continues from its last checkpoint.
/// </summary>
public sealed class ReproductionPipeline
{
    /// <summary>Stage names (also the sub-folders of the output folder).</summary>
    internal const string BaseStage = "base", OracleStage = "oracle", MultiTaskStage = "multitask", SftStage = "sft", ReconstructionStage = "recon", EvaluationStage = "evaluation";

    /// <summary>Where the oracle adapters are gathered for the reconstruction trainer (<c>&lt;task&gt;/</c> each).</summary>
    internal const string OracleAdaptersFolder = "oracle-adapters";

    /// <summary>The results table in the output folder.</summary>
    public const string ResultsFileName = "results.md";

    /// <summary>The per-answer records (JSON lines) in the output folder.</summary>
    public const string AnswersFileName = "answers.jsonl";

    private readonly ReproductionOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly TrainerRunner _runTrainer;
    private readonly ILogger _logger;

    /// <summary>A pipeline over <paramref name="options"/> (validated here, as a config file is).</summary>
    /// <param name="options">The pipeline's settings, e.g. read with <c>TrainerConfigFile.Load&lt;ReproductionOptions&gt;</c>.</param>
    /// <param name="loggerFactory">Logs each stage and row; null: no logging.</param>
    /// <param name="runTrainer">Runs each trainer (e.g. under a progress bar); null: runs it without progress reports.</param>
    /// <exception cref="TrainerConfigException">An option is invalid.</exception>
    public ReproductionPipeline(ReproductionOptions options, ILoggerFactory? loggerFactory = null, TrainerRunner? runTrainer = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        TrainerConfigFile.Validate(options, "reproduction options");
        _options = options;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _runTrainer = runTrainer ?? ((_, _, run) => run(new StageProgress(null)));
        _logger = _loggerFactory.CreateLogger<ReproductionPipeline>();
    }

    /// <summary>
    /// Runs the whole reproduction of <paramref name="options"/>: every stage, the results table and, when configured,
    /// the published artifacts. Each trainer's steps are reported through <paramref name="progress"/>, tagged with the stage.
    /// </summary>
    /// <param name="options">The pipeline's settings.</param>
    /// <param name="progress">Receives every training step of every stage; null: none.</param>
    /// <param name="resume">Skip the finished stages of the output folder and continue an interrupted one.</param>
    /// <param name="loggerFactory">Logs each stage and row; null: no logging.</param>
    /// <param name="cancellationToken">Stops the run (a resumed run continues from the last checkpoint).</param>
    /// <returns>The results document and its summary table.</returns>
    /// <exception cref="TrainerConfigException">An option is invalid.</exception>
    /// <exception cref="ArgumentException">The output folder holds files of another run and <paramref name="resume"/> is false.</exception>
    public static Task<ReproductionOutcome> RunAsync(
        ReproductionOptions options, IProgress<ReproductionProgress>? progress = null, bool resume = false, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default) =>
        new ReproductionPipeline(options, loggerFactory, (totalSteps, title, run) => run(new StageProgress(progress is null ? null : p => progress.Report(new ReproductionProgress(title, totalSteps, p)))))
            .RunAsync(resume, cancellationToken);

    /// <summary>Runs every stage; returns the results document and its summary table.</summary>
    /// <param name="resume">Skip the finished stages of the output folder and continue an interrupted one.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <exception cref="ArgumentException">The output folder holds files of another run and <paramref name="resume"/> is false.</exception>
    public async Task<ReproductionOutcome> RunAsync(bool resume, CancellationToken cancellationToken)
    {
        var output = _options.OutputDirectory;
        if (!resume && Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any())
        {
            throw new ArgumentException($"The output folder '{output}' is not empty; pass --resume to continue that run, or choose another folder.");
        }

        Directory.CreateDirectory(output);
        var timing = StageTiming.Load(output);
        var suite = TaskSuiteManifest.Read(_options.TaskSuiteDirectory);
        var train = TaskFolderReader.ReadTasks(_options.TaskSuiteDirectory, suite.Train);
        var heldout = TaskFolderReader.ReadTasks(_options.TaskSuiteDirectory, suite.Heldout);
        _logger.LogInformation("Task suite {Suite}: {Train} training and {Heldout} held-out tasks.", _options.TaskSuiteDirectory, train.Count, heldout.Count);

        var baseOptions = TrainerConfigFile.Load<BaseModelPretrainingOptions>(_options.BaseModelConfig, o =>
        {
            o.TaskSuiteDirectory = _options.TaskSuiteDirectory;
            o.Tasks = [.. suite.Train];
            Direct(o.Loop, BaseStage, resume);
        });
        var baseModel = await TrainAsync(BaseStage, "base model", baseOptions.Loop, () => new BaseModelTrainer(baseOptions, _loggerFactory), timing, cancellationToken).ConfigureAwait(false);

        var oracles = new Dictionary<string, string>(StringComparer.Ordinal);
        long oracleSeed = 0;
        var adaptersFolder = Path.Combine(output, OracleAdaptersFolder);
        for (var i = 0; i < train.Count; i++)
        {
            var task = train[i].Name;
            var oracleOptions = LoadLora(_options.OracleLoraConfig, baseModel, [task], Path.Combine(OracleStage, task), resume);
            var adapter = await TrainAsync($"{OracleStage}/{task}", $"oracle LoRA {i + 1}/{train.Count} {task}", oracleOptions.Loop, () => new LoraTrainer(oracleOptions, _loggerFactory.CreateLogger<LoraTrainer>()), timing, cancellationToken).ConfigureAwait(false);
            oracles[task] = adapter;
            oracleSeed = oracleOptions.Loop.Seed;
            FolderFiles.Copy(adapter, Path.Combine(adaptersFolder, task));
        }

        var multiTaskOptions = LoadLora(_options.MultiTaskLoraConfig, baseModel, suite.Train, MultiTaskStage, resume);
        var multiTask = await TrainAsync(MultiTaskStage, "multi-task LoRA", multiTaskOptions.Loop, () => new LoraTrainer(multiTaskOptions, _loggerFactory.CreateLogger<LoraTrainer>()), timing, cancellationToken).ConfigureAwait(false);

        var sftOptions = TrainerConfigFile.Load<SftTrainerOptions>(_options.SftConfig, o =>
        {
            o.BaseModel.Directory = baseModel;
            o.Data.TasksDirectory = _options.TaskSuiteDirectory;
            o.Data.TrainTasks = [.. suite.Train];
            Direct(o.Loop, SftStage, resume);
            DirectBaseModel(o.BaseModel);
        });
        var sft = await TrainAsync(SftStage, "T2L-SFT", sftOptions.Loop, () => new SftTrainer(sftOptions, encoder: null, _loggerFactory.CreateLogger<SftTrainer>()), timing, cancellationToken).ConfigureAwait(false);

        var reconOptions = TrainerConfigFile.Load<ReconstructionTrainerOptions>(_options.ReconstructionConfig, o =>
        {
            o.BaseModelDirectory = baseModel;
            o.AdaptersDirectory = adaptersFolder;
            o.TasksDirectory = _options.TaskSuiteDirectory;
            o.Tasks = [.. suite.Train];
            Direct(o.Loop, ReconstructionStage, resume);
        });
        var recon = await TrainAsync(ReconstructionStage, "T2L-reconstruction", reconOptions.Loop, () => new ReconstructionTrainer(reconOptions, encoder: null, _loggerFactory.CreateLogger<ReconstructionTrainer>()), timing, cancellationToken).ConfigureAwait(false);

        var artifacts = new ReproductionArtifacts(baseModel, oracles, multiTask, sft, recon);
        var clock = Stopwatch.StartNew();
        _logger.LogInformation("Evaluating {Rows} rows on the test splits.", ResultRow.All.Count);
        var cells = await new SuiteEvaluation(_options.Evaluation, _loggerFactory, new ModelLoadOptions
            {
                Device = Runtime.ComputeDevice.Parse(_options.Device.Length > 0 ? _options.Device : Runtime.ComputeDevice.Cpu),
                DType = Models.ModelDType.Parse(_options.DType.Length > 0 ? _options.DType : Models.ModelDType.Float32),
            })
            .RunAsync(artifacts, train, heldout, Path.Combine(output, AnswersFileName), cancellationToken).ConfigureAwait(false);
        timing.Record(EvaluationStage, clock.Elapsed.TotalSeconds);

        var seeds = new ReproductionSeeds(baseOptions.Loop.Seed, oracleSeed, multiTaskOptions.Loop.Seed, sftOptions.Loop.Seed, reconOptions.Loop.Seed, _options.Evaluation.ControlSeed);
        var results = new ResultsReport(_options, train, heldout, cells, timing.Seconds, seeds);
        var outcome = new ReproductionOutcome(results.ToMarkdown(), results.SummaryTable());
        Text2Lora.IO.AtomicFile.WriteAllText(Path.Combine(output, ResultsFileName), outcome.Results);
        if (!string.IsNullOrWhiteSpace(_options.ResultsFile))
        {
            Text2Lora.IO.AtomicFile.WriteAllText(_options.ResultsFile, outcome.Results);
            _logger.LogInformation("Results written to {File}.", _options.ResultsFile);
        }

        if (!string.IsNullOrWhiteSpace(_options.PublishDirectory))
        {
            ArtifactPublisher.Publish(_options.PublishDirectory, artifacts, output, outcome.Summary);
            _logger.LogInformation("Artifacts published to {Folder}.", _options.PublishDirectory);
        }

        return outcome;
    }

    private void Direct(TrainingLoopOptions? loop, string stage, bool resume)
    {
        // A config with "loop": null is reported by validation, right after the overrides.
        if (loop is not null)
        {
            loop.OutputDirectory = Path.Combine(_options.OutputDirectory, stage);
            loop.Resume = resume;
            if (_options.Device.Length > 0)
            {
                loop.Device = _options.Device;
            }
        }
    }

    private void DirectBaseModel(BaseModelOptions? baseModel)
    {
        if (baseModel is not null && _options.DType.Length > 0)
        {
            baseModel.DType = _options.DType;
        }
    }

    private LoraTrainerOptions LoadLora(string config, string baseModel, IReadOnlyList<string> tasks, string stage, bool resume) =>
        TrainerConfigFile.Load<LoraTrainerOptions>(config, o =>
        {
            o.BaseModel.Directory = baseModel;
            o.Data.TasksDirectory = _options.TaskSuiteDirectory;
            o.Data.TrainTasks = [.. tasks];
            o.Data.ValidationTasks = [];
            Direct(o.Loop, stage, resume);
            DirectBaseModel(o.BaseModel);
        });

    private async Task<string> TrainAsync(string stage, string title, TrainingLoopOptions loop, Func<ITrainer> create, StageTiming timing, CancellationToken cancellationToken)
    {
        var final = Path.Combine(loop.OutputDirectory, TrainingLoop.FinalArtifactFolder);
        if (timing.Of(stage) is not null && Directory.Exists(final))
        {
            _logger.LogInformation("Stage {Stage} already finished; using {Folder}.", stage, final);
            return final;
        }

        var clock = Stopwatch.StartNew();
        var trainer = create();
        var result = await _runTrainer(loop.MaxSteps, title, progress => trainer.TrainAsync(progress, cancellationToken)).ConfigureAwait(false);
        timing.Record(stage, clock.Elapsed.TotalSeconds);
        return result.ArtifactDirectory;
    }
}
