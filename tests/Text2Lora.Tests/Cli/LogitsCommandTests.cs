using System.Diagnostics;
using Text2Lora.IO.Safetensors;
using Text2Lora.Tests.Infrastructure;
using Text2Lora.Tests.Models;

namespace Text2Lora.Tests.Cli;

/// <summary><c>t2l logits</c> end to end (the built tool run as a process) on the fixture checkpoints.</summary>
[Trait(TestCategory.Key, TestCategory.EndToEnd)]
public sealed class LogitsCommandTests
{
    // Same acceptance as the library parity tests (Fixtures/README.md): atol 1e-4 on valid positions.
    private const double Tolerance = 1e-4;

    [Theory]
    [InlineData(null, false, "logits")]
    [InlineData("lora_all", false, "logits")]
    [InlineData("lora_qv", true, "merged_logits")]
    public void Writes_the_reference_logits(string? adapter, bool merge, string expectedKey)
    {
        using var dir = new TempDirectory();
        var input = FixturePaths.Get("llama", "expected.safetensors");
        var args = $"logits --model \"{FixturePaths.Get("llama", "model")}\" --input \"{input}\" --output \"{dir.File("out.safetensors")}\"";
        if (adapter is not null)
        {
            args += $" --adapter \"{FixturePaths.Get("llama", adapter)}\"" + (merge ? " --merge" : "");
        }

        var (code, output) = RunTool(args);
        Assert.True(code == 0, output);

        using var written = SafetensorsFile.Open(dir.File("out.safetensors"));
        using var expected = SafetensorsFile.Open(adapter is null ? input : FixturePaths.Get("llama", adapter, "expected.safetensors"));
        using var inputs = SafetensorsFile.Open(input);
        using var mask = inputs.ReadTensor("attention_mask");
        using var logits = written.ReadTensor("logits");
        Assert.Equal(TorchSharp.torch.ScalarType.Float32, logits.dtype);
        using var reference = expected.ReadTensor(expectedKey);
        LlamaFamilyParityTests.AssertValidClose(reference, logits, mask, Tolerance);
    }

    [Fact]
    public void Missing_model_folder_is_an_input_error()
    {
        using var dir = new TempDirectory();
        var (code, output) = RunTool($"logits --model \"{dir.File("nope")}\" --input \"{FixturePaths.Get("llama", "expected.safetensors")}\" --output \"{dir.File("o.safetensors")}\"");
        Assert.Equal(3, code);
        Assert.Contains("nope", output, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("o.safetensors")));
    }

    internal static (int Code, string Output) RunTool(string arguments)
    {
        var (code, stdout, stderr) = RunToolSeparately(arguments);
        // stderr (logs, progress) first: the command's own output (stdout) then ends the text, as a user reading stdout sees it.
        return (code, stderr + stdout);
    }

    /// <summary>Runs the built tool; its stdout and stderr apart (for commands whose stdout is machine-read).</summary>
    internal static (int Code, string Stdout, string Stderr) RunToolSeparately(string arguments)
    {
        var start = new ProcessStartInfo("dotnet", $"\"{Path.Combine(AppContext.BaseDirectory, "t2l.dll")}\" {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["COLUMNS"] = "400";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
