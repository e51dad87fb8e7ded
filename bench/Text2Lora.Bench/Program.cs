using System.Diagnostics;
using System.Globalization;
using Text2Lora.Bench;

// One command: `dotnet run -c Release --project bench/Text2Lora.Bench -- model` (see docs/benchmarks.md).
// `rss` is the child mode used to measure peak memory of loading in a fresh process; `first-request` times the first
// request of a hosted app with and without WarmUp() (child mode `first-request-child on|off`).
var mode = args.Length > 0 ? args[0] : "model";
switch (mode)
{
    case "model":
        if (Environment.GetEnvironmentVariable("T2L_BENCH_RSS_ONLY") is null)
        {
            ModelBenchmark.Run();
            Console.WriteLine();
        }

        var checkpoint = LoadMemoryBenchmark.WriteCheckpoint();
        try
        {
            RunChild($"rss \"{checkpoint}\"");
        }
        finally
        {
            Directory.Delete(checkpoint, recursive: true);
        }

        return 0;
    case "rss":
        LoadMemoryBenchmark.Run(args[1]);
        return 0;
    case "first-request":
        FirstRequestBenchmark.Run(RunChildCaptured, rounds: 3);
        return 0;
    case "first-request-child":
        await FirstRequestBenchmark.RunChildAsync(args[1] == "on");
        return 0;
    default:
        Console.Error.WriteLine("usage: Text2Lora.Bench [model | first-request]");
        return 2;
}

static void RunChild(string childMode) => RunChildProcess(childMode, capture: false);

static string RunChildCaptured(string childMode) => RunChildProcess(childMode, capture: true);

static string RunChildProcess(string childMode, bool capture)
{
    var start = new ProcessStartInfo(Environment.ProcessPath!, string.Create(CultureInfo.InvariantCulture, $"\"{typeof(ModelBenchmark).Assembly.Location}\" {childMode}"))
    {
        UseShellExecute = false,
        RedirectStandardOutput = capture,
    };
    if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) != "dotnet")
    {
        start.Arguments = childMode;
    }

    using var process = Process.Start(start)!;
    var output = capture ? process.StandardOutput.ReadToEnd() : "";
    process.WaitForExit();
    return output;
}
