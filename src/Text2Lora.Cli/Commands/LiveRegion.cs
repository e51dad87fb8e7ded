using Spectre.Console;

namespace Text2Lora.Cli.Commands;

/// <summary>
/// The one Spectre live display (a progress bar) the CLI may show at a time, always on <b>stderr</b>. While it is
/// shown, log lines are written through its console, which renders them above the live region instead of over it;
/// otherwise they go to stderr directly. Progress bars and logs therefore never collide, and stdout carries only the
/// command's output.
/// </summary>
internal static class LiveRegion
{
    private static readonly Lock Gate = new();
    private static IAnsiConsole? _active;

    /// <summary>The console of a live display on stderr when stderr is an interactive terminal; null: show plain lines instead.</summary>
    public static IAnsiConsole? InteractiveConsole()
    {
        if (Console.IsErrorRedirected)
        {
            return null;
        }

        var console = CliConsole.For(Console.Error);
        return console.Profile.Capabilities.Interactive ? console : null;
    }

    /// <summary>Runs <paramref name="show"/> (which starts the live display on <paramref name="console"/>) with log lines routed above it.</summary>
    public static async Task<T> ShowAsync<T>(IAnsiConsole console, Func<Task<T>> show)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(show);
        lock (Gate)
        {
            _active = console;
        }

        try
        {
            return await show().ConfigureAwait(false);
        }
        finally
        {
            lock (Gate)
            {
                _active = null;
            }
        }
    }

    /// <summary>Writes one log line: above the live display when one is shown, else to stderr.</summary>
    public static void WriteLine(string line)
    {
        lock (Gate)
        {
            if (_active is { } console)
            {
                console.WriteLine(line);
            }
            else
            {
                Console.Error.WriteLine(line);
            }
        }
    }
}
