using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Text2Lora.Abstractions;
using Text2Lora.Training.Configuration;
using Text2Lora.Tasks;
using Text2Lora.Training.Lora;
using Text2Lora.Training.Loop;
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
internal sealed class ReproductionPipeline(ReproductionOptions options, ILoggerFactory loggerFactory, TrainerRunner runTrainer)
{
    /// <summary>Stage names (also the sub-folders of the output folder).</summary>
    internal const string BaseStage = "base", OracleStage = "oracle", MultiTaskStage = "multitask", SftStage = "sft", ReconstructionStage = "recon", EvaluationStage = "evaluation";

    /// <summary>Where the oracle adapters are gathered for the reconstruction trainer (<c>&lt;task&gt;/</c> each).</summary>
    internal const string OracleAdaptersFolder = "oracle-adapters";

    /// <summary>The results table and the per-answer records in the output folder.</summary>
    internal const string ResultsFileName = "results.md", AnswersFileName = "answers.jsonl";

    private readonly ILogger _logger = loggerFactory.CreateLogger<ReproductionPipeline>();

    /// <summary>Runs every stage; returns the results document and its summary table.</summary>
    /// <exception cref="ArgumentException">The output folder holds files of another run and <paramref name="resume"/> is false.</exception>
    public async Task<ReproductionOutcome> RunAsync(bool resume, CancellationToken cancellationToken)
    {
        var output = options.OutputDirectory;
        if (!resume && Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any())
        {
            throw new ArgumentException($"The output folder '{output}' is not empty; pass --resume to continue that run, or choose another folder.");
        }

        Directory.CreateDirectory(output);
        var timing = StageTiming.Load(output);
        var suite = TaskSuiteManifest.Read(options.TaskSuiteDirectory);
        var train = TaskFolderReader.ReadTasks(options.TaskSuiteDirectory, suite.Train);
        var heldout = TaskFolderReader.ReadTasks(options.TaskSuiteDirectory, suite.Heldout);
        _logger.LogInformation("Task suite {Suite}: {Train} training and {Heldout} held-out tasks.", options.TaskSuiteDirectory, train.Count, heldout.Count);

        var baseOptions = TrainerConfigFile.Load<BaseModelPretrainingOptions>(options.BaseModelConfig, o =>
        {
            o.TaskSuiteDirectory = options.TaskSuiteDirectory;
            o.Tasks = [.. suite.Train];
            Direct(o.Loop, BaseStage, resume);
        });
        var baseModel = await TrainAsync(BaseStage, "base model", baseOptions.Loop, () => new BaseModelTrainer(baseOptions, loggerFactory), timing, cancellationToken).ConfigureAwait(false);

        var oracles = new Dictionary<string, string>(StringComparer.Ordinal);
        long oracleSeed = 0;
        var adaptersFolder = Path.Combine(output, OracleAdaptersFolder);
        for (var i = 0; i < train.Count; i++)
        {
            var task = train[i].Name;
            var oracleOptions = LoadLora(options.OracleLoraConfig, baseModel, [task], Path.Combine(OracleStage, task), resume);
            var adapter = await TrainAsync($"{OracleStage}/{task}", $"oracle LoRA {i + 1}/{train.Count} {task}", oracleOptions.Loop, () => new LoraTrainer(oracleOptions, loggerFactory.CreateLogger<LoraTrainer>()), timing, cancellationToken).ConfigureAwait(false);
            oracles[task] = adapter;
            oracleSeed = oracleOptions.Loop.Seed;
            FolderFiles.Copy(adapter, Path.Combine(adaptersFolder, task));
        }

        var multiTaskOptions = LoadLora(options.MultiTaskLoraConfig, baseModel, suite.Train, MultiTaskStage, resume);
        var multiTask = await TrainAsync(MultiTaskStage, "multi-task LoRA", multiTaskOptions.Loop, () => new LoraTrainer(multiTaskOptions, loggerFactory.CreateLogger<LoraTrainer>()), timing, cancellationToken).ConfigureAwait(false);

        var sftOptions = TrainerConfigFile.Load<SftTrainerOptions>(options.SftConfig, o =>
        {
            o.BaseModel.Directory = baseModel;
            o.Data.TasksDirectory = options.TaskSuiteDirectory;
            o.Data.TrainTasks = [.. suite.Train];
            Direct(o.Loop, SftStage, resume);
        });
        var sft = await TrainAsync(SftStage, "T2L-SFT", sftOptions.Loop, () => new SftTrainer(sftOptions, encoder: null, loggerFactory.CreateLogger<SftTrainer>()), timing, cancellationToken).ConfigureAwait(false);

        var reconOptions = TrainerConfigFile.Load<ReconstructionTrainerOptions>(options.ReconstructionConfig, o =>
        {
            o.BaseModelDirectory = baseModel;
            o.AdaptersDirectory = adaptersFolder;
            o.TasksDirectory = options.TaskSuiteDirectory;
            o.Tasks = [.. suite.Train];
            Direct(o.Loop, ReconstructionStage, resume);
        });
        var recon = await TrainAsync(ReconstructionStage, "T2L-reconstruction", reconOptions.Loop, () => new ReconstructionTrainer(reconOptions, encoder: null, loggerFactory.CreateLogger<ReconstructionTrainer>()), timing, cancellationToken).ConfigureAwait(false);

        var artifacts = new ReproductionArtifacts(baseModel, oracles, multiTask, sft, recon);
        var clock = Stopwatch.StartNew();
        _logger.LogInformation("Evaluating {Rows} rows on the test splits.", ResultRow.All.Count);
        var cells = await new SuiteEvaluation(options.Evaluation, loggerFactory)
            .RunAsync(artifacts, train, heldout, Path.Combine(output, AnswersFileName), cancellationToken).ConfigureAwait(false);
        timing.Record(EvaluationStage, clock.Elapsed.TotalSeconds);

        var seeds = new ReproductionSeeds(baseOptions.Loop.Seed, oracleSeed, multiTaskOptions.Loop.Seed, sftOptions.Loop.Seed, reconOptions.Loop.Seed, options.Evaluation.ControlSeed);
        var results = new ResultsReport(options, train, heldout, cells, timing.Seconds, seeds);
        var outcome = new ReproductionOutcome(results.ToMarkdown(), results.SummaryTable());
        Text2Lora.IO.AtomicFile.WriteAllText(Path.Combine(output, ResultsFileName), outcome.Results);
        if (!string.IsNullOrWhiteSpace(options.ResultsFile))
        {
            Text2Lora.IO.AtomicFile.WriteAllText(options.ResultsFile, outcome.Results);
            _logger.LogInformation("Results written to {File}.", options.ResultsFile);
        }

        if (!string.IsNullOrWhiteSpace(options.PublishDirectory))
        {
            ArtifactPublisher.Publish(options.PublishDirectory, artifacts, output, outcome.Summary);
            _logger.LogInformation("Artifacts published to {Folder}.", options.PublishDirectory);
        }

        return outcome;
    }

    private void Direct(TrainingLoopOptions? loop, string stage, bool resume)
    {
        // A config with "loop": null is reported by validation, right after the overrides.
        if (loop is not null)
        {
            loop.OutputDirectory = Path.Combine(options.OutputDirectory, stage);
            loop.Resume = resume;
        }
    }

    private LoraTrainerOptions LoadLora(string config, string baseModel, IReadOnlyList<string> tasks, string stage, bool resume) =>
        TrainerConfigFile.Load<LoraTrainerOptions>(config, o =>
        {
            o.BaseModel.Directory = baseModel;
            o.Data.TasksDirectory = options.TaskSuiteDirectory;
            o.Data.TrainTasks = [.. tasks];
            o.Data.ValidationTasks = [];
            Direct(o.Loop, stage, resume);
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
        var result = await runTrainer(loop.MaxSteps, title, progress => trainer.TrainAsync(progress, cancellationToken)).ConfigureAwait(false);
        timing.Record(stage, clock.Elapsed.TotalSeconds);
        return result.ArtifactDirectory;
    }
}
