using System.Diagnostics;
using Text2Lora.FuzzRunner;
using Xunit.Abstractions;

namespace Text2Lora.FuzzTests;

/// <summary>
/// Disposing a generator (or its hypernetwork or base model), a task encoder or a base model while other threads call
/// it (issue 14: SIGSEGV, "Tensor invalid -- empty handle"): every call must succeed or throw
/// <see cref="ObjectDisposedException"/>. The trials run in a child process (<c>Text2Lora.FuzzRunner hammer</c>), so a
/// native crash fails this test with the child's exit code instead of killing the test host.
/// </summary>
public sealed class DisposeDuringUseTests(ITestOutputHelper output)
{
    private const int Rounds = 6;
    private const int Threads = 4;

    public static TheoryData<string> Targets() => [.. Hammer.Targets];

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Calls_succeed_or_throw_ObjectDisposedException_never_crash(string target)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { typeof(Hammer).Assembly.Location, "hammer", "--target", target, "--rounds", $"{Rounds}", "--threads", $"{Threads}", "--seed", "7" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdoutTask = process.StandardOutput.ReadToEndAsync();
        var stderrTask = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"hammer {target} did not finish in 5 minutes (a Dispose that never returns?)");
        }

        var (stdout, stderr) = (await stdoutTask, await stderrTask);
        output.WriteLine(stdout + stderr);
        Assert.True(process.ExitCode == 0, $"hammer {target} exited with {process.ExitCode}:\n{stdout}\n{stderr}");
        // Every thread ends on exactly one ObjectDisposedException per round, and nothing else was thrown.
        Assert.Contains($"ObjectDisposedException {Rounds * Threads}, other 0", stdout, StringComparison.Ordinal);
    }
}
