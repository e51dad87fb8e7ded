using System.CommandLine;
using Text2Lora.Cli.Commands;
using Text2Lora.Tests.Infrastructure;
using Text2Lora.Tests.Training;

namespace Text2Lora.Tests.Cli;

/// <summary>
/// CLI errors: one <c>error:</c> line on stderr (nothing on stdout), the documented exit code, and no stack trace
/// unless <c>--verbose</c>. Re-running <c>train</c> into a folder that holds a run is refused before anything loads.
/// </summary>
[Collection(nameof(GlobalTorchRngCollection))]
public sealed class CliErrorOutputTests
{
    private static string Config(string name) => Path.Combine(Training.Trainers.TrainerFixtures.RepoRoot, "configs", name);

    /// <summary>Runs the CLI in process with the console captured (stdout, stderr).</summary>
    internal static (int Code, string Out, string Error) Run(params string[] args)
    {
        var root = new RootCommand();
        foreach (var command in CommandCatalog.All())
        {
            root.Subcommands.Add(command);
        }

        var (oldOut, oldError) = (Console.Out, Console.Error);
        using var output = new StringWriter();
        using var error = new StringWriter();
        Console.SetOut(output);
        Console.SetError(error);
        try
        {
            var code = root.Parse(args).Invoke();
            return (code, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldError);
        }
    }

    public static TheoryData<string, int> ErrorCases() => new()
    {
        { "train-into-previous-run", CliErrors.InputError },
        { "train-output-is-a-file", CliErrors.InputError },
        { "train-missing-config", CliErrors.InputError },
        { "train-bad-config", CliErrors.InputError },
        { "train-resume-and-overwrite", CliErrors.UsageError },
        { "info-missing-folder", CliErrors.InputError },
    };

    [Theory]
    [MemberData(nameof(ErrorCases))]
    public void Errors_are_one_line_on_stderr_with_the_documented_code_and_no_stack_trace(string scenario, int expectedCode)
    {
        using var work = new TempDirectory();
        var run = Directory.CreateDirectory(work.File("run")).FullName;
        File.WriteAllText(Path.Combine(run, "metrics.csv"), "step,train_loss\n1,2.5\n");
        File.WriteAllText(work.File("a-file"), "keep");
        File.WriteAllText(work.File("bad.json"), "{ \"loop\": 3 }");
        string[] args = scenario switch
        {
            "train-into-previous-run" => ["train", "lora", "--config", Config("lora-tiny.json"), "--output", run, "--max-steps", "2"],
            "train-output-is-a-file" => ["train", "lora", "--config", Config("lora-tiny.json"), "--output", work.File("a-file")],
            "train-missing-config" => ["train", "lora", "--config", work.File("missing.json"), "--output", work.File("out")],
            "train-bad-config" => ["train", "lora", "--config", work.File("bad.json"), "--output", work.File("out")],
            "train-resume-and-overwrite" => ["train", "lora", "--config", Config("lora-tiny.json"), "--output", run, "--resume", "--overwrite"],
            _ => ["info", work.File("no-such-folder")],
        };

        var (code, output, error) = Run(args);

        Assert.Equal(expectedCode, code);
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("error: ", Assert.Single(lines), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("error:", output, StringComparison.Ordinal);
        Assert.Equal("step,train_loss\n1,2.5\n", File.ReadAllText(Path.Combine(run, "metrics.csv")));
        Assert.Equal("keep", File.ReadAllText(work.File("a-file")));
    }

    [Fact]
    public void Verbose_adds_the_stack_trace()
    {
        CliErrors.Verbose = true;
        try
        {
            using var work = new TempDirectory();
            var (code, _, error) = Run("train", "lora", "--config", work.File("missing.json"), "--output", work.File("out"));
            Assert.Equal(CliErrors.InputError, code);
            Assert.Contains("   at ", error, StringComparison.Ordinal);
        }
        finally
        {
            CliErrors.Verbose = false;
        }
    }

    [Fact]
    public void Unexpected_exceptions_are_failures_with_one_line_and_a_hint()
    {
        using var error = new StringWriter();
        var old = Console.Error;
        Console.SetError(error);
        try
        {
            Assert.Equal(CliErrors.Failure, CliErrors.Run(() => throw new InvalidOperationException("boom")));
        }
        finally
        {
            Console.SetError(old);
        }

        Assert.StartsWith("error: InvalidOperationException: boom", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Overwrite_moves_the_previous_run_aside_before_training()
    {
        using var work = new TempDirectory();
        var options = Text2Lora.Training.Configuration.TrainerConfigFile.Load<Text2Lora.Training.Lora.LoraTrainerOptions>(Config("lora-tiny.json"));
        options.Loop.MaxSteps = 2;
        Text2Lora.Training.Configuration.TrainerConfigFile.Save(options, work.File("lora.json"));
        var run = Directory.CreateDirectory(work.File("run")).FullName;
        File.WriteAllText(Path.Combine(run, "metrics.csv"), "old");

        var (code, output, _) = Run("train", "lora", "--config", work.File("lora.json"), "--output", run, "--overwrite");

        Assert.Equal(0, code);
        var moved = Assert.Single(Directory.GetDirectories(work.Path, "run.previous-*"));
        Assert.Equal("old", File.ReadAllText(Path.Combine(moved, "metrics.csv")));
        Assert.Contains(moved, output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(run, "metrics.csv")));
        Assert.NotEqual("old", File.ReadAllText(Path.Combine(run, "metrics.csv")));
    }
}
