using System.ComponentModel.DataAnnotations;
using Text2Lora.Tests.Infrastructure;
using Text2Lora.Training.Configuration;
using Text2Lora.Training.Loop;

namespace Text2Lora.Tests.Training;

[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class TrainerConfigFileTests
{
    public sealed class SampleTrainerOptions
    {
        [Required]
        public string DataDirectory { get; set; } = "";

        [Range(1, 64)]
        public int TasksPerBatch { get; set; } = 4;

        public TrainingLoopOptions Loop { get; set; } = new();
    }

    [Fact]
    public void Reads_camel_case_json_with_nested_loop_options_and_overrides()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("c.json"), """
            // comments are allowed
            { "dataDirectory": "data/tasks", "tasksPerBatch": 8,
              "loop": { "maxSteps": 30, "learningRate": 0.001, "outputDirectory": "out" }, }
            """);

        var options = TrainerConfigFile.Load<SampleTrainerOptions>(dir.File("c.json"), o => o.Loop.Resume = true);

        Assert.Equal("data/tasks", options.DataDirectory);
        Assert.Equal(8, options.TasksPerBatch);
        Assert.Equal(30, options.Loop.MaxSteps);
        Assert.Equal(0.001, options.Loop.LearningRate);
        Assert.True(options.Loop.Resume);
    }

    [Theory]
    [InlineData("""{"dataDirectory": "d", "taskPerBatch": 3}""", "taskPerBatch")]
    [InlineData("""{"dataDirectory": "d", "loop": {"maxStep": 3}}""", "loop.maxStep")]
    [InlineData("""{"dataDirectory": "d", "tasksPerBatch": "many"}""", "tasksPerBatch")]
    [InlineData("""{"dataDirectory": "d", "tasksPerBatch": 100, "loop": {"outputDirectory": "o"}}""", "tasksPerBatch")]
    [InlineData("""{"dataDirectory": "d", "loop": {"outputDirectory": "o", "warmupFraction": 2}}""", "loop.warmupFraction")]
    [InlineData("""{"dataDirectory": "d", "loop": {"outputDirectory": ""}}""", "loop.outputDirectory")]
    public void Bad_configs_name_the_file_and_field(string json, string field)
    {
        using var dir = new TempDirectory();
        var path = dir.File("bad.json");
        File.WriteAllText(path, json);

        var ex = Assert.Throws<TrainerConfigException>(() => TrainerConfigFile.Load<SampleTrainerOptions>(path));

        Assert.Equal(path, ex.FilePath);
        Assert.Equal(field, ex.Field);
    }

    [Fact]
    public void Save_then_load_round_trips()
    {
        using var dir = new TempDirectory();
        var options = new SampleTrainerOptions { DataDirectory = "x", Loop = new TrainingLoopOptions { OutputDirectory = "o", MaxSteps = 7 } };
        TrainerConfigFile.Save(options, dir.File("c.json"));
        var again = TrainerConfigFile.Load<SampleTrainerOptions>(dir.File("c.json"));
        Assert.Equal(7, again.Loop.MaxSteps);
        Assert.Equal("x", again.DataDirectory);
    }
}
