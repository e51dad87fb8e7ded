using System.CommandLine;
using Text2Lora.Cli.Commands;
using Text2Lora.Tests.Infrastructure;

namespace Text2Lora.Tests.Devices;

/// <summary>
/// <c>--device</c> and <c>--dtype</c> on every <c>t2l</c> command that loads a model: present, documented, and a bad value
/// is a usage error (exit 2, one <c>error:</c> line) before anything is resolved or loaded.
/// </summary>
[Collection(nameof(Training.GlobalTorchRngCollection))]
public sealed class DeviceOptionsCliTests
{
    /// <summary>Every command (by path) that loads a model.</summary>
    public static TheoryData<string> ModelCommands() =>
        ["run", "demo", "generate", "eval", "logits", "embed", "serve", "reproduce", "train sft", "train recon", "train lora", "train base"];

    private static RootCommand Root()
    {
        var root = new RootCommand();
        foreach (var command in CommandCatalog.All())
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    private static Command Find(string path)
    {
        Command command = Root();
        foreach (var name in path.Split(' '))
        {
            command = command.Subcommands.Single(c => c.Name == name);
        }

        return command;
    }

    [Theory]
    [MemberData(nameof(ModelCommands))]
    public void Every_model_command_has_device_and_dtype(string path)
    {
        var command = Find(path);
        var device = Assert.Single(command.Options, o => o.Name == "--device");
        var dtype = Assert.Single(command.Options, o => o.Name == "--dtype");
        Assert.Contains("cuda:N", device.Description, StringComparison.Ordinal);
        Assert.Contains("bfloat16", dtype.Description, StringComparison.Ordinal);
    }

    /// <summary>The required options of each command, with values that would fail later (nothing is read before the device check).</summary>
    private static string[] Arguments(string path, string work) => path switch
    {
        "run" => ["run", "--model", work, "--prompt", "x"],
        "demo" => ["demo", "--model", work, "--hypernetwork", work],
        "generate" => ["generate", "--hypernetwork", work, "--description", "x", "--output", Path.Combine(work, "out")],
        "eval" => ["eval", "--model", work, "--benchmark", "arc_easy", "--data", Path.Combine(work, "d.jsonl")],
        "logits" => ["logits", "--model", work, "--input", Path.Combine(work, "i.safetensors"), "--output", Path.Combine(work, "o.safetensors")],
        "embed" => ["embed", "--encoder", work, "--description", "x", "--output", Path.Combine(work, "e.safetensors")],
        "serve" => ["serve", "--model", work, "--hypernetwork", work, "--port", "0"],
        "reproduce" => ["reproduce", "--config", Path.Combine(work, "missing.json")],
        _ => [.. path.Split(' '), "--config", Path.Combine(work, "missing.json"), "--output", Path.Combine(work, "out")],
    };

    [Theory]
    [MemberData(nameof(ModelCommands))]
    public void Bad_device_or_dtype_is_a_usage_error_before_anything_loads(string path)
    {
        using var work = new TempDirectory();
        foreach (var (option, value) in new[] { ("--device", "gpu"), ("--device", "cuda:x"), ("--dtype", "float64"), ("--dtype", "bf16") })
        {
            var (code, output, error) = Cli.CliErrorOutputTests.Run([.. Arguments(path, work.Path), option, value]);

            Assert.Equal(CliErrors.UsageError, code);
            var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith($"error: {option} must be ", line, StringComparison.Ordinal);
            Assert.Contains($"'{value}'", line, StringComparison.Ordinal);
            Assert.DoesNotContain("error:", output, StringComparison.Ordinal);
            Assert.False(Directory.Exists(Path.Combine(work.Path, "out")));
        }
    }

    [Theory]
    [InlineData("train recon")]
    [InlineData("train base")]
    public void Dtype_is_refused_by_trainers_without_a_frozen_base_model(string path)
    {
        using var work = new TempDirectory();
        var (code, _, error) = Cli.CliErrorOutputTests.Run([.. Arguments(path, work.Path), "--dtype", "bfloat16"]);

        Assert.Equal(CliErrors.UsageError, code);
        Assert.Contains("--dtype does not apply", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cpu", "float32", "cpu", "float32")]
    [InlineData("CUDA:1", "BFloat16", "cuda:1", "bfloat16")]
    [InlineData(" cuda ", "float16", "cuda", "float16")]
    public void Settings_are_canonical(string device, string dtype, string expectedDevice, string expectedDType)
    {
        var settings = ComputeSettings.Parse(device, dtype);

        Assert.Equal(expectedDevice, settings.DeviceName);
        Assert.Equal(expectedDType, settings.DTypeName);
        Assert.Equal(settings.Device, settings.LoadOptions.Device);
        Assert.Equal(settings.DType, settings.LoadOptions.DType);
    }

    [Fact]
    public void Asking_for_cuda_without_it_is_one_line_naming_the_package()
    {
        // A separate process: the CUDA probe must not touch this test process's libtorch.
        var (code, output) = Cli.LogitsCommandTests.RunTool($"run --model \"{Stories260k.ModelDirectory}\" --prompt Lily --max-new-tokens 2 --device cuda");

        if (CudaAvailability.IsAvailable)
        {
            Assert.True(code == 0, output);
            return;
        }

        Assert.Equal(CliErrors.Failure, code);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: CUDA was requested but is not available", line, StringComparison.Ordinal);
        Assert.Contains(OperatingSystem.IsWindows() ? "TorchSharp-cuda-windows" : "TorchSharp-cuda-linux", line, StringComparison.Ordinal);
        Assert.Contains("0.107.0", line, StringComparison.Ordinal);
    }
}
