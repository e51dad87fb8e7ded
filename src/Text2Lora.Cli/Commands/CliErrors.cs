using Microsoft.Extensions.Options;
using Spectre.Console;
using Text2Lora.IO;
using Text2Lora.IO.Hub;
using Text2Lora.Lora;
using Text2Lora.Runtime;

namespace Text2Lora.Cli.Commands;

/// <summary>A command-line usage problem (bad argument combination, unknown folder kind).</summary>
internal sealed class CliUsageException(string message) : Exception(message);

/// <summary>Maps the library's typed exceptions to one clear error line and a non-zero exit code.</summary>
internal static class CliErrors
{
    public const int UsageError = 2;
    public const int InputError = 3;
    public const int RuntimeError = 4;

    public static int Run(Action action)
    {
        try
        {
            action();
            return 0;
        }
        catch (Exception ex) when (Classify(ex) is { } code)
        {
            AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(ex.Message)}");
            return code;
        }
    }

    public static async Task<int> RunAsync(Func<Task> action)
    {
        try
        {
            await action().ConfigureAwait(false);
            return 0;
        }
        catch (Exception ex) when (Classify(ex) is { } code)
        {
            AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(ex.Message)}");
            return code;
        }
    }

    private static int? Classify(Exception ex) => ex switch
    {
        CliUsageException or ArgumentException or NotSupportedException => UsageError,
        InvalidFileFormatException or UnsupportedAdapterException or FileNotFoundException or DirectoryNotFoundException or OptionsValidationException => InputError,
        IOException => InputError, // includes HubException
        NativeBackendUnavailableException => RuntimeError,
        OperationCanceledException => 130,
        _ => null,
    };
}
