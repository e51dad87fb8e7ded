using Microsoft.Extensions.Logging;

namespace Text2Lora.Cli.Commands;

/// <summary>
/// The CLI's log sink: one line per entry, <c>HH:mm:ss level: category[event] message</c> (the console logger's simple
/// single-line format), written synchronously through <see cref="LiveRegion"/> — on stderr, above a progress bar
/// when one is shown.
/// </summary>
internal sealed class CliLogLines : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(categoryName);

    public void Dispose()
    {
    }

    /// <summary>One entry as a line (the exception, when any, on the lines after it).</summary>
    internal static string Format(DateTime time, LogLevel level, string category, EventId eventId, string message, Exception? exception)
    {
        var line = $"{time:HH:mm:ss} {LevelName(level)}: {category}[{eventId.Id}] {message}";
        return exception is null ? line : $"{line}{Environment.NewLine}{exception}";
    }

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => level.ToString().ToLowerInvariant(),
    };

    private sealed class Logger(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            ArgumentNullException.ThrowIfNull(formatter);
            if (!IsEnabled(logLevel))
            {
                return;
            }

            LiveRegion.WriteLine(Format(DateTime.Now, logLevel, category, eventId, formatter(state, exception), exception));
        }
    }
}
