using Microsoft.Extensions.Logging.Abstractions;
using Text2Lora.Abstractions;
using Text2Lora.Cli.Commands;
using Text2Lora.Reproduction;
using Text2Lora.Tests.Infrastructure;
using Text2Lora.Tests.TaskSuite;
using Text2Lora.Training.Configuration;
using Text2Lora.Training.Data;
using Text2Lora.Training.Hypernetworks;
using Text2Lora.Training.Lora;
using Text2Lora.Training.Loop;
using Text2Lora.Training.Models;
using Text2Lora.Training.Pretraining;
using Text2Lora.Training.Reconstruction;
using Text2Lora.Training.Sft;

namespace Text2Lora.Tests.Cli;

/// <summary>
/// The whole <c>t2l reproduce</c> pipeline on a four-task slice of the committed suite with a few steps per stage:
/// every stage runs, every row is scored, the results and the published folders are written, a second run reproduces
/// every artifact byte for byte, and a resumed run skips the finished stages.
/// </summary>
[Trait(TestCategory.Key, TestCategory.EndToEnd)]
// Runs alone: the SFT and reconstruction stages initialise from torch's global generator and reduce with the process-wide
// thread count, so a test in parallel that draws from that generator or changes the thread count would make the
// byte-identical rerun differ (seen twice under load).
[Collection(nameof(Text2Lora.Tests.Training.GlobalTorchRngCollection))]
public sealed class ReproductionPipelineTests
{
    private static readonly string[] TrainTasks = ["reverse_word", "add_one", "parity"]; // three families
    private static readonly string[] HeldoutTasks = ["add_three"];

    [Fact]
    public async Task The_pipeline_trains_every_stage_scores_every_row_and_reruns_identically()
    {
        using var dir = new TempDirectory();
        var options = WriteConfigs(dir.Path);

        var outcome = await Pipeline(options).RunAsync(resume: false, CancellationToken.None);
        var report = outcome.Results;
        Assert.Contains("## Summary\n\n" + outcome.Summary, report.ReplaceLineEndings("\n"), StringComparison.Ordinal);

        var first = options.OutputDirectory;
        Assert.Equal(report, File.ReadAllText(Path.Combine(first, ReproductionPipeline.ResultsFileName)));
        Assert.Equal(report, File.ReadAllText(options.ResultsFile));
        foreach (var row in ResultRow.All)
        {
            Assert.Contains($"| {row.Title} | ", report, StringComparison.Ordinal);
        }

        // Every answer is recorded: 3 items per task, 4 tasks, 10 rows (the oracle row on training tasks only).
        var answers = File.ReadAllLines(Path.Combine(first, ReproductionPipeline.AnswersFileName));
        Assert.Equal((ResultRow.All.Count * 4 - HeldoutTasks.Length) * 3, answers.Length);
        foreach (var name in new[] { ArtifactPublisher.BaseModelName, ArtifactPublisher.SftName, ArtifactPublisher.ReconstructionName })
        {
            Assert.Contains(outcome.Summary, File.ReadAllText(Path.Combine(options.PublishDirectory, name, "README.md")), StringComparison.Ordinal);
        }

        Assert.Equal(
            File.ReadAllBytes(Path.Combine(first, "base", "final", "model.safetensors")),
            File.ReadAllBytes(Path.Combine(options.PublishDirectory, ArtifactPublisher.BaseModelName, "model.safetensors")));

        // A second run elsewhere reproduces every trained artifact and every score.
        var second = Path.Combine(dir.Path, "second");
        options.OutputDirectory = second;
        options.ResultsFile = "";
        options.PublishDirectory = "";
        // The rerun goes through the library's one-call API: every stage reports its steps, up to its last.
        var reports = new List<ReproductionProgress>();
        var rerun = (await ReproductionPipeline.RunAsync(options, new ReportSink(reports.Add), cancellationToken: CancellationToken.None)).Results;
        var lastSteps = reports.GroupBy(r => r.Stage).ToDictionary(g => g.Key, g => (g.Last().Training.Step, g.Last().TotalSteps));
        Assert.Equal(
            ["base model", .. TrainTasks.Select((task, i) => $"oracle LoRA {i + 1}/{TrainTasks.Length} {task}"), "multi-task LoRA", "T2L-SFT", "T2L-reconstruction"],
            lastSteps.Keys);
        Assert.All(lastSteps.Values, last => Assert.Equal(last.TotalSteps, last.Step));
        foreach (var stage in new[] { "base", "multitask", "sft", "recon", Path.Combine("oracle", "add_one") })
        {
            var files = Directory.GetFiles(Path.Combine(first, stage, "final")).Select(Path.GetFileName).Where(f => f!.EndsWith(".safetensors", StringComparison.Ordinal)).ToList();
            Assert.NotEmpty(files);
            foreach (var file in files)
            {
                Assert.True(File.ReadAllBytes(Path.Combine(first, stage, "final", file!)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(second, stage, "final", file!))), $"{stage}/{file}");
            }
        }

        Assert.Equal(WithoutTimes(report), WithoutTimes(rerun));
        Assert.Equal(File.ReadAllLines(Path.Combine(first, ReproductionPipeline.AnswersFileName)), File.ReadAllLines(Path.Combine(second, ReproductionPipeline.AnswersFileName)));

        // Without --resume a used output folder is refused; with it, finished stages are skipped.
        options.OutputDirectory = first;
        await Assert.ThrowsAsync<ArgumentException>(() => Pipeline(options).RunAsync(resume: false, CancellationToken.None));
        var before = StageTiming.Load(first).Seconds.Where(p => p.Key != ReproductionPipeline.EvaluationStage).ToList();
        var trainers = 0;
        await new ReproductionPipeline(options, NullLoggerFactory.Instance, (_, _, run) =>
        {
            trainers++;
            return run(new Progress<TrainingProgress>());
        }).RunAsync(resume: true, CancellationToken.None);
        Assert.Equal(0, trainers);
        Assert.Equal(before, StageTiming.Load(first).Seconds.Where(p => p.Key != ReproductionPipeline.EvaluationStage).ToList());
    }

    [Fact]
    public void A_missing_stage_config_is_named()
    {
        using var dir = new TempDirectory();
        var options = WriteConfigs(dir.Path);
        File.Delete(options.SftConfig);
        var path = Path.Combine(dir.Path, "pipeline.json");
        TrainerConfigFile.Save(options, path);

        var ex = Assert.Throws<TrainerConfigException>(() => TrainerConfigFile.Load<ReproductionOptions>(path));
        Assert.Contains("sftConfig", ex.Message, StringComparison.Ordinal);
        Assert.Contains(options.SftConfig, ex.Message, StringComparison.Ordinal);
    }

    private static ReproductionPipeline Pipeline(ReproductionOptions options) =>
        new(options, NullLoggerFactory.Instance, (_, _, run) => run(new Progress<TrainingProgress>()));

    [Fact]
    public async Task The_library_refuses_options_built_in_code_that_a_config_file_would_refuse()
    {
        using var dir = new TempDirectory();
        var options = WriteConfigs(dir.Path);
        File.Delete(options.ReconstructionConfig);

        var ex = await Assert.ThrowsAsync<TrainerConfigException>(() => ReproductionPipeline.RunAsync(options));

        Assert.Contains("reconstructionConfig", ex.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(options.OutputDirectory), "nothing is written before the options are checked");
    }

    /// <summary>Records reports as they come (<see cref="Progress{T}"/> would post them to the thread pool).</summary>
    private sealed class ReportSink(Action<ReproductionProgress> report) : IProgress<ReproductionProgress>
    {
        public void Report(ReproductionProgress value) => report(value);
    }

    private static string WithoutTimes(string report) => report[..report.IndexOf("## Seeds and run time", StringComparison.Ordinal)];

    /// <summary>A four-task suite and one tiny config per stage under <paramref name="root"/>.</summary>
    private static ReproductionOptions WriteConfigs(string root)
    {
        var suite = Path.Combine(root, "suite");
        foreach (var task in TrainTasks.Concat(HeldoutTasks))
        {
            var target = Path.Combine(suite, task);
            Directory.CreateDirectory(target);
            foreach (var file in Directory.GetFiles(Path.Combine(CommittedSuite.Root, task)))
            {
                File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
            }
        }

        File.WriteAllText(Path.Combine(suite, "suite.yaml"),
            "name: slice\ntrain:\n" + string.Concat(TrainTasks.Select(t => $"- {t}\n")) + "heldout:\n" + string.Concat(HeldoutTasks.Select(t => $"- {t}\n")));
        var tokenizer = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(CommittedSuite.Root))!, "data", "tokenizers", "stories260k");
        TrainingLoopOptions Loop(int steps) => new() { OutputDirectory = "unused", MaxSteps = steps, LearningRate = 1e-3, CheckpointEvery = 0, ValidateEvery = 0, IntraOpThreads = 1 };
        BaseModelOptions Base() => new() { Directory = "unused", Id = "tiny", PromptFormat = PromptFormat.Plain };
        TaskDataOptions Data() => new() { TasksDirectory = suite, TrainTasks = ["add_one"], MaxSequenceLength = 48, ValidationExamplesPerTask = 2 };
        LoraAdapterOptions Lora() => new() { Rank = 2, Alpha = 4, TargetModules = ["q_proj", "v_proj", "down_proj"] };
        HypernetworkOptions Hypernetwork() => new() { Size = HypernetworkSize.M, LatentSize = 16, HeadInSize = 16 };

        var options = new ReproductionOptions
        {
            OutputDirectory = Path.Combine(root, "first"),
            TaskSuiteDirectory = suite,
            BaseModelConfig = Save(root, "base.json", new BaseModelPretrainingOptions
            {
                Loop = Loop(6),
                Model = new BaseModelArchitecture { HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 2, NumAttentionHeads = 2, NumKeyValueHeads = 2, MaxPositionEmbeddings = 128 },
                TaskSuiteDirectory = suite,
                TokenizerDirectory = tokenizer,
                BatchSize = 8,
                ValidationExamplesPerTask = 2,
            }),
            OracleLoraConfig = Save(root, "oracle.json", new LoraTrainerOptions { BaseModel = Base(), Data = Data(), Lora = Lora(), BatchSize = 4, Loop = Loop(3) }),
            MultiTaskLoraConfig = Save(root, "multitask.json", new LoraTrainerOptions { BaseModel = Base(), Data = Data(), Lora = Lora(), BatchSize = 4, Loop = Loop(3) }),
            SftConfig = Save(root, "sft.json", new SftTrainerOptions
            {
                BaseModel = Base(), Data = Data(), Lora = Lora(), Hypernetwork = Hypernetwork(), TasksPerBatch = 2, ExamplesPerTask = 2, DescriptionsPerTask = 4, Loop = Loop(3),
            }),
            ReconstructionConfig = Save(root, "recon.json", new ReconstructionTrainerOptions
            {
                BaseModelDirectory = "unused", AdaptersDirectory = "unused", TasksDirectory = suite, Tasks = ["add_one"], Hypernetwork = Hypernetwork(), DescriptionsPerTask = 4, Loop = Loop(3),
            }),
            Evaluation = new ReproductionEvaluationOptions { ExamplesPerTask = 3, MaxNewTokens = 4, BatchSize = 8, ControlSeed = 3 },
            ResultsFile = Path.Combine(root, "docs", "results.md"),
            PublishDirectory = Path.Combine(root, "models"),
        };
        Directory.CreateDirectory(Path.Combine(root, "docs"));
        return options;
    }

    private static string Save<T>(string root, string name, T options)
        where T : class
    {
        var path = Path.Combine(root, name);
        TrainerConfigFile.Save(options, path);
        return path;
    }
}
