using Microsoft.Extensions.Logging;
using Spectre.Console;
using Text2Lora.IO.Hub;

namespace Text2Lora.Cli.Commands;

/// <summary>
/// What every model-folder option goes through: an existing folder as it is, a hub reference
/// (<c>org/name[@revision][:subfolder]</c>) resolved to the Hugging Face cache with a download progress bar on stderr,
/// anything else as a full path (so the loaders name the missing folder).
/// </summary>
internal static class ModelFolders
{
    /// <summary>Small files <c>t2l info</c> reads from any kind of folder (configs, tokenizer, adapter and hypernetwork weights).</summary>
    public static readonly IReadOnlyList<string> InfoFiles =
        ["*.json", "*.yaml", "*.yml", "*.model", "*.jinja", "*.txt", "hypermod.pt", "hypernetwork.safetensors", "adapter_model.safetensors"];

    public static string? ResolveOptional(string? value, ModelFileKind kind, CancellationToken cancellationToken) =>
        value is null ? null : Resolve(value, kind, cancellationToken);

    public static string Resolve(string value, ModelFileKind kind, CancellationToken cancellationToken, IReadOnlyList<string>? include = null)
    {
        if (Directory.Exists(value) || !HubReference.TryParse(value, out var reference))
        {
            return Path.GetFullPath(value);
        }

        var console = CliConsole.For(Console.Error);
        var deferred = new DeferredLogger();
        var resolver = new HubModelResolver(HubOptions.FromEnvironment(), deferred);
        string folder;
        if (!Console.IsErrorRedirected && console.Profile.Capabilities.Interactive)
        {
            folder = console.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(), new TransferSpeedColumn())
                .StartAsync(ctx => resolver.ResolveAsync(reference, kind, include, new BarProgress(ctx), cancellationToken))
                .GetAwaiter().GetResult();
        }
        else
        {
            folder = resolver.ResolveAsync(reference, kind, include, new LineProgress(Console.Error), cancellationToken).GetAwaiter().GetResult();
        }

        // Logged during the download (resumes, cache fallbacks) only now, so nothing is written over the bar.
        deferred.WriteTo(Console.Error);
        return folder;
    }

    /// <summary>One Spectre task per file, created when the file's first report arrives (reports come synchronously).</summary>
    private sealed class BarProgress(ProgressContext context) : IProgress<HubDownloadProgress>
    {
        private readonly Dictionary<string, ProgressTask> _tasks = new(StringComparer.Ordinal);

        public void Report(HubDownloadProgress value)
        {
            if (value.FromCache)
            {
                return;
            }

            lock (_tasks)
            {
                if (!_tasks.TryGetValue(value.Path, out var task))
                {
                    task = context.AddTask(Markup.Escape(value.Path), maxValue: Math.Max(1, value.TotalBytes ?? 1));
                    _tasks[value.Path] = task;
                }

                task.Value = value.Completed ? task.MaxValue : value.BytesDone;
            }
        }
    }

    /// <summary>Without a terminal: one line per downloaded file.</summary>
    private sealed class LineProgress(TextWriter writer) : IProgress<HubDownloadProgress>
    {
        public void Report(HubDownloadProgress value)
        {
            if (value.Completed && !value.FromCache)
            {
                writer.WriteLine($"downloaded {value.RepoId}/{value.Path} ({value.BytesDone} bytes)");
            }
        }
    }

    /// <summary>Keeps warnings and above until the progress display is gone.</summary>
    private sealed class DeferredLogger : ILogger
    {
        private readonly List<(LogLevel Level, string Message)> _entries = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                lock (_entries)
                {
                    _entries.Add((logLevel, formatter(state, exception)));
                }
            }
        }

        public void WriteTo(TextWriter writer)
        {
            foreach (var (level, message) in _entries)
            {
                writer.WriteLine($"{(level == LogLevel.Warning ? "warning" : "error")}: {message}");
            }
        }
    }
}
