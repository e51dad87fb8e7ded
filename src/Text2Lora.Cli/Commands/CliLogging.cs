using Microsoft.Extensions.Logging;

namespace Text2Lora.Cli.Commands;

/// <summary>The CLI's logger factory: console, information level (T2L_LOG_LEVEL overrides, e.g. Debug).</summary>
internal static class CliLogging
{
    public static ILoggerFactory CreateFactory()
    {
        var level = Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable("T2L_LOG_LEVEL"), ignoreCase: true, out var parsed)
            ? parsed
            : LogLevel.Information;
        return LoggerFactory.Create(builder => builder
            .SetMinimumLevel(level)
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
            }));
    }
}
