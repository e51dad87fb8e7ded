using Spectre.Console;

namespace Text2Lora.Cli.Commands;

/// <summary>
/// Spectre consoles for the CLI's output: when it goes to a file or pipe (or a test's writer) lines are never wrapped
/// (Spectre would wrap at 80 columns, which breaks grep and diff); on a terminal its width is used.
/// </summary>
internal static class CliConsole
{
    /// <summary>The width used when output is redirected: wide enough that no table or line wraps.</summary>
    internal const int RedirectedWidth = 4096;

    /// <summary>A console writing to <paramref name="writer"/>.</summary>
    public static IAnsiConsole For(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
        var redirected = writer == Console.Out ? Console.IsOutputRedirected : writer != Console.Error || Console.IsErrorRedirected;
        if (redirected)
        {
            console.Profile.Width = RedirectedWidth;
        }

        return console;
    }

    /// <summary>Applies the same rule to Spectre's static console (used by progress views and tables).</summary>
    public static void ConfigureDefault()
    {
        if (Console.IsOutputRedirected)
        {
            AnsiConsole.Profile.Width = RedirectedWidth;
        }
    }
}
