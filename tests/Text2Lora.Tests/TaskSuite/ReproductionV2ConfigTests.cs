using Text2Lora.Training.Configuration;
using Text2Lora.Training.Lora;
using Text2Lora.Training.Pretraining;
using Text2Lora.Training.Reconstruction;
using Text2Lora.Training.Sft;

namespace Text2Lora.Tests.TaskSuite;

/// <summary>
/// configs/reproduce-v2 (issue 13): every stage config loads with today's trainer options (strict JSON, validation) and
/// points at suite v2; the SFT configs choose their checkpoint on exactly the suite's validation tasks.
/// </summary>
public sealed class ReproductionV2ConfigTests
{
    private static string Config(string name) => Path.Combine(Path.GetDirectoryName(SuiteFolder.V2.Root)!, "..", "configs", "reproduce-v2", name);

    private static string SuiteV2 => Path.GetFullPath(SuiteFolder.V2.Root);

    [Fact]
    public void Base_model_config_trains_on_suite_v2()
    {
        var options = TrainerConfigFile.Load<BaseModelPretrainingOptions>(Config("base.json"));

        Assert.Equal(SuiteV2, Path.GetFullPath(options.TaskSuiteDirectory));
        Assert.Empty(options.Tasks); // The manifest's train: list, never the held-out or validation tasks.
    }

    [Theory]
    [InlineData("oracle-lora.json")]
    [InlineData("multitask-lora.json")]
    public void Lora_configs_read_suite_v2_training_tasks(string name)
    {
        var options = TrainerConfigFile.Load<LoraTrainerOptions>(Config(name));

        Assert.Equal(SuiteV2, Path.GetFullPath(options.Data.TasksDirectory));
        Assert.All(options.Data.TrainTasks, t => Assert.Contains(t, SuiteFolder.V2.ManifestList("train")));
    }

    [Theory]
    [InlineData("sft.json")]
    [InlineData("sft-base-encoder.json")]
    public void Sft_configs_select_on_the_validation_tasks_only(string name)
    {
        var options = TrainerConfigFile.Load<SftTrainerOptions>(Config(name));

        Assert.Equal(SuiteV2, Path.GetFullPath(options.Data.TasksDirectory));
        Assert.Equal(SuiteFolder.V2.ManifestList("validation").Order(StringComparer.Ordinal), options.Data.ValidationTasks.Order(StringComparer.Ordinal));
        Assert.Equal(64, options.DescriptionsPerTask);
        Assert.True(options.Loop.ValidateEvery > 0);
    }

    [Fact]
    public void Sft_encoder_ablation_differs_from_the_main_config_only_in_the_encoder_and_output()
    {
        var main = TrainerConfigFile.Load<SftTrainerOptions>(Config("sft.json"));
        var ablation = TrainerConfigFile.Load<SftTrainerOptions>(Config("sft-base-encoder.json"));

        Assert.Null(main.Encoder);
        Assert.Equal("", ablation.Encoder);
        Assert.Equal((main.Loop.Seed, main.Loop.MaxSteps, main.TasksPerBatch, main.ExamplesPerTask), (ablation.Loop.Seed, ablation.Loop.MaxSteps, ablation.TasksPerBatch, ablation.ExamplesPerTask));
    }

    [Fact]
    public void Reconstruction_config_reads_suite_v2()
    {
        var options = TrainerConfigFile.Load<ReconstructionTrainerOptions>(Config("recon.json"));

        Assert.Equal(SuiteV2, Path.GetFullPath(options.TasksDirectory));
        Assert.Equal(64, options.DescriptionsPerTask);
    }
}
