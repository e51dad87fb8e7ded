using Microsoft.Extensions.Options;
using Text2Lora.IO;
using Text2Lora.IO.Hub;
using Text2Lora.Lora;
using Text2Lora.Runtime;
using Text2Lora.TextGeneration;

namespace Text2Lora.Cli.Commands;

/// <summary>A command-line usage problem (bad argument combination, unknown folder kind).</summary>
internal sealed class CliUsageException(string message) : Exception(message);

/// <summary>
/// Maps exceptions to one <c>error:</c> line on stderr and a documented exit code: 0 success, 1 failure (anything
/// unexpected), 2 usage error, 3 bad input (a file, folder or option value: the library's
/// <see cref="InvalidFileFormatException"/> family, missing files, unusable output folders), 130 cancelled.
/// The stack trace is printed only with <c>--verbose</c>.
/// </summary>
internal static class CliErrors
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int UsageError = 2;
    public const int InputError = 3;
    public const int Cancelled = 130;

    /// <summary>The exit codes as the CLI help and README list them.</summary>
    public const string ExitCodesHelp = "Exit codes: 0 success, 1 failure, 2 usage error, 3 bad input (file, folder or option value), 130 cancelled. Errors go to stderr; --verbose adds stack traces.";

    /// <summary>Set from <c>--verbose</c>: print stack traces with errors.</summary>
    public static bool Verbose { get; set; }

    public static int Run(Action action)
    {
        try
        {
            action();
            return Success;
        }
        catch (Exception ex)
        {
            return Report(ex);
        }
    }

    public static async Task<int> RunAsync(Func<Task> action)
    {
        try
        {
            await action().ConfigureAwait(false);
            return Success;
        }
        catch (Exception ex)
        {
            return Report(ex);
        }
    }

    /// <summary>Writes the error line (and with <see cref="Verbose"/> the stack trace) to stderr; returns the exit code.</summary>
    internal static int Report(Exception ex)
    {
        var code = Classify(ex);
        // A missing backend says what to install; its type name and a stack trace would only distract.
        var actionable = ex is NativeBackendUnavailableException;
        var message = code == Failure && !actionable ? $"{ex.GetType().Name}: {ex.Message}" : ex.Message;
        Console.Error.WriteLine($"error: {message.ReplaceLineEndings(" ")}");
        if (Verbose)
        {
            Console.Error.WriteLine(ex.ToString());
        }
        else if (code == Failure && !actionable)
        {
            Console.Error.WriteLine("(run again with --verbose for the stack trace)");
        }

        return code;
    }

    internal static int Classify(Exception ex) => ex switch
    {
        OperationCanceledException => Cancelled,
        PromptTooLongException => InputError,
        CliUsageException or ArgumentException or NotSupportedException => UsageError,
        // IOException covers missing files and folders, OutputFolderException, HubException and a non-empty export destination.
        InvalidFileFormatException or UnsupportedAdapterException or IOException or OptionsValidationException or UnauthorizedAccessException => InputError,
        _ => Failure,
    };
}
