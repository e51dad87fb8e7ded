using Microsoft.Extensions.Logging;
using Spectre.Console;
using Text2Lora.Cli.Commands;
using Text2Lora.Tests.Infrastructure;
using Text2Lora.Tests.Training;

namespace Text2Lora.Tests.Cli;

/// <summary>
/// Logs and progress never collide: log lines are single lines on stderr, and while a live progress display is shown
/// they go through its console (rendered above the live region) instead of straight to stderr.
/// </summary>
[Trait(TestCategory.Key, TestCategory.Behaviour)]
[Collection(nameof(GlobalTorchRngCollection))]
public sealed class LogLinesAndProgressTests
{
    [Fact]
    public void Log_entry_is_one_line_in_the_simple_console_format()
    {
        var line = CliLogLines.Format(new DateTime(2026, 12, 6, 4, 5, 6), LogLevel.Warning, "Text2Lora.Training", new EventId(7), "slow step", exception: null);

        Assert.Equal("04:05:06 warn: Text2Lora.Training[7] slow step", line);
    }

    [Fact]
    public async Task Logs_go_to_stderr_and_through_the_live_console_while_a_progress_is_shown()
    {
        var oldError = Console.Error;
        using var error = new StringWriter();
        using var live = new StringWriter();
        Console.SetError(error);
        try
        {
            using var factory = CliLogging.CreateFactory();
            var logger = factory.CreateLogger("Text2Lora.Tests");
            logger.LogWarning("before the bar");
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(live), Ansi = AnsiSupport.No, Interactive = InteractionSupport.No });
            var result = await LiveRegion.ShowAsync(console, () =>
            {
                logger.LogWarning("during the bar");
                return Task.FromResult(42);
            });
            logger.LogWarning("after the bar");

            Assert.Equal(42, result);
            var stderr = error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(2, stderr.Length);
            Assert.EndsWith("warn: Text2Lora.Tests[0] before the bar", stderr[0], StringComparison.Ordinal);
            Assert.EndsWith("warn: Text2Lora.Tests[0] after the bar", stderr[1], StringComparison.Ordinal);
            Assert.Contains("warn: Text2Lora.Tests[0] during the bar", live.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Console.SetError(oldError);
        }
    }
}
