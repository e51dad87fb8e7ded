using System.CommandLine;
using Text2Lora.Cli.Commands;
using Text2Lora.Hypernetworks.Checkpoints;
using Text2Lora.IO.Peft;
using Text2Lora.Tests.Infrastructure;
using Text2Lora.Tests.Training;
using Text2Lora.Tests.Training.Trainers;
using Text2Lora.Training.Checkpoints;
using Text2Lora.Training.Configuration;
using Text2Lora.Training.Lora;
using Text2Lora.Training.Metrics;
using Text2Lora.Training.Reconstruction;
using Text2Lora.Training.Sft;

namespace Text2Lora.Tests.Cli;

/// <summary><c>t2l train sft|recon|lora</c> through the registered commands, with the shipped tiny configs.</summary>
[Trait(TestCategory.Key, TestCategory.EndToEnd)]
[Collection(nameof(GlobalTorchRngCollection))]
public sealed class TrainCommandTests
{
    private static string Config(string name) => Path.Combine(TrainerFixtures.RepoRoot, "configs", name);

    private static int Run(params string[] args)
    {
        var root = new RootCommand();
        foreach (var command in CommandCatalog.All())
        {
            root.Subcommands.Add(command);
        }

        return root.Parse(args).Invoke();
    }

    [Fact]
    public void The_shipped_tiny_configs_are_valid_and_point_at_data_in_the_repo()
    {
        var lora = TrainerConfigFile.Load<LoraTrainerOptions>(Config("lora-tiny.json"));
        var sft = TrainerConfigFile.Load<SftTrainerOptions>(Config("sft-tiny.json"));
        var recon = TrainerConfigFile.Load<ReconstructionTrainerOptions>(Config("recon-tiny.json"));

        foreach (var directory in new[]
                 {
                     lora.BaseModel.Directory, lora.Data.TasksDirectory, sft.BaseModel.Directory, sft.Data.TasksDirectory,
                     recon.BaseModelDirectory, recon.AdaptersDirectory, recon.TasksDirectory,
                 })
        {
            Assert.True(Directory.Exists(directory), directory);
            Assert.StartsWith(TrainerFixtures.RepoRoot, directory, StringComparison.Ordinal); // resolved against the config file
        }
    }

    [Fact]
    public void Sft_with_the_gte_encoder_records_it_and_the_trained_hypernetwork_generates_from_text()
    {
        using var work = new TempDirectory();
        var options = TrainerConfigFile.Load<SftTrainerOptions>(Config("sft-tiny.json"));
        options.Loop.MaxSteps = 2;
        options.Loop.ValidateEvery = 2;
        options.Loop.CheckpointEvery = 2;
        options.Encoder = FixturePaths.Get("gte", "model");
        TrainerConfigFile.Save(options, work.File("sft.json"));
        var output = work.File("run");

        Assert.Equal(0, Run("train", "sft", "--config", work.File("sft.json"), "--output", output));

        var final = Path.Combine(output, "final");
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(final, HypernetworkCheckpoint.ConfigFileName)))!;
        Assert.Equal(FixturePaths.Get("gte", "model"), (string?)json["encoder_id"]);
        Assert.Equal("add_full_stop", (string?)json["description_format"]);
        Assert.Equal(64, (int)json["architecture"]!["task_emb_size"]!); // the gte fixture's hidden size
        using var generator = Text2Lora.LoraGeneration.Text2LoraBuilder.Create().WithHypernetwork(final).WithEmbeddingCache(0).Build();
        Assert.IsType<Text2Lora.Encoders.GteTaskEncoder>(Assert.IsType<Text2Lora.Encoders.FormattedTaskEncoder>(generator.TaskEncoder).Inner);
        using var adapter = generator.FromDescription("Add two to the number");
        Assert.NotEmpty(adapter.Modules);
    }

    [Fact]
    public void An_unknown_encoder_in_a_trainer_config_is_a_config_error_naming_the_field()
    {
        using var work = new TempDirectory();
        var options = TrainerConfigFile.Load<SftTrainerOptions>(Config("sft-tiny.json"));
        options.Encoder = "BAAI/bge-small";

        var error = Assert.Throws<TrainerConfigException>(() => new SftTrainer(options));

        Assert.Equal("encoder", error.Field);
        Assert.Contains("BAAI/bge-small", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sft_run_leaves_checkpoint_metrics_and_plot_and_resume_with_a_larger_budget_continues()
    {
        using var work = new TempDirectory();
        var options = TrainerConfigFile.Load<SftTrainerOptions>(Config("sft-tiny.json"));
        options.Loop.MaxSteps = 12;
        options.Loop.ValidateEvery = 6;
        TrainerConfigFile.Save(options, work.File("sft.json"));
        var output = work.File("run");

        Assert.Equal(0, Run("train", "sft", "--config", work.File("sft.json"), "--output", output));

        Assert.Equal(12, TrainingCheckpoint.ReadState(TrainingCheckpoint.Find(output)!).Step);
        var header = File.ReadLines(Path.Combine(output, MetricsLog.FileName)).First();
        Assert.StartsWith("step,train_loss", header, StringComparison.Ordinal);
        Assert.Contains("val_loss", header, StringComparison.Ordinal);
        Assert.True(new FileInfo(Path.Combine(output, LossCurvePlot.FileName)).Length > 1000);
        using (var hypernetwork = HypernetworkCheckpoint.Load(Path.Combine(output, "final")))
        {
            Assert.Equal("stories260k", hypernetwork.BaseModelId);
        }

        var first = TrainerFixtures.Metrics(output);
        Assert.Equal(2, first.Count(r => r.ValLoss is not null));

        Assert.Equal(0, Run("train", "sft", "--config", work.File("sft.json"), "--output", output, "--max-steps", "18", "--resume"));

        var resumed = TrainerFixtures.Metrics(output);
        Assert.Equal(Enumerable.Range(1, 18), resumed.Select(r => r.Step));
        // Continued, not restarted: the first 12 rows are the earlier run's, byte for byte.
        Assert.Equal(first.Select(r => r.TrainLoss), resumed.Take(12).Select(r => r.TrainLoss));
        Assert.Equal(18, TrainingCheckpoint.ReadState(TrainingCheckpoint.Find(output)!).Step);
    }

    [Fact]
    public void Lora_run_writes_a_peft_folder_and_a_bad_config_is_an_input_error_that_touches_nothing()
    {
        using var work = new TempDirectory();
        var options = TrainerConfigFile.Load<LoraTrainerOptions>(Config("lora-tiny.json"));
        options.Loop.MaxSteps = 10;
        TrainerConfigFile.Save(options, work.File("lora.json"));
        var output = work.File("run");

        Assert.Equal(0, Run("train", "lora", "--config", work.File("lora.json"), "--output", output));
        using (var adapter = PeftAdapterFolder.Load(Path.Combine(output, "final")))
        {
            Assert.Equal(options.Lora.Rank, adapter.Config.R);
        }

        var before = TrainerFixtures.Snapshot(output);
        File.WriteAllText(work.File("bad.json"), File.ReadAllText(work.File("lora.json")).Replace("\"batchSize\"", "\"batchSise\"", StringComparison.Ordinal));
        Assert.Equal(CliErrors.InputError, Run("train", "lora", "--config", work.File("bad.json"), "--output", output, "--resume"));

        options.Data.TrainTasks = ["add_one", "missing_task"];
        TrainerConfigFile.Save(options, work.File("missing.json"));
        Assert.Equal(CliErrors.InputError, Run("train", "lora", "--config", work.File("missing.json"), "--output", output, "--resume"));
        Assert.Equal(before, TrainerFixtures.Snapshot(output));
    }
}
