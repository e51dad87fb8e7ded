using Microsoft.Extensions.Logging;

namespace Text2Lora.Cli.Commands;

/// <summary>
/// The CLI's logger factory: single-line logs on <b>stderr</b>, above a progress bar when one is shown
/// (<see cref="CliLogLines"/>, <see cref="LiveRegion"/>; stdout stays the command's output), at
/// <see cref="Level"/> (<c>-v/--verbosity</c>), else <c>T2L_LOG_LEVEL</c>, else information.
/// </summary>
internal static class CliLogging
{
    /// <summary>The <c>--verbosity</c> values, lower case, least to most.</summary>
    public static readonly string[] Verbosities = ["quiet", "error", "warning", "information", "debug", "trace"];

    /// <summary>The level <c>-v/--verbosity</c> asked for (null: not given).</summary>
    public static LogLevel? Level { get; set; }

    /// <summary>Maps a <see cref="Verbosities"/> value to its log level.</summary>
    public static LogLevel Parse(string verbosity) => verbosity switch
    {
        "quiet" => LogLevel.None,
        "error" => LogLevel.Error,
        "warning" => LogLevel.Warning,
        "debug" => LogLevel.Debug,
        "trace" => LogLevel.Trace,
        _ => LogLevel.Information,
    };

    public static ILoggerFactory CreateFactory()
    {
        var level = Level ?? (Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable("T2L_LOG_LEVEL"), ignoreCase: true, out var parsed)
            ? parsed
            : LogLevel.Information);
        return LoggerFactory.Create(builder => builder
            .SetMinimumLevel(level)
            .AddProvider(new CliLogLines()));
    }
}
