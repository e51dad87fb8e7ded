using System.Diagnostics;
using System.Globalization;
using Text2Lora.Bench;

// One command each (see docs/benchmarks.md):
//   Text2Lora.Bench model          fp32 prefill/decode table, then peak RSS of loading a ~100M bf16 checkpoint
//   Text2Lora.Bench bf16           peak RSS of loading a 1.1B bf16 checkpoint (written sharded to the temp folder, 2.2 GB
//                                  of disk) in a fresh process and its bf16 decode speed; fp32 vs bf16 decode on a small model
//   Text2Lora.Bench first-request  the first request of a hosted app with and without WarmUp()
// Child modes: `rss <dir> <decode tokens>` measures one load in a fresh process; `first-request-child on|off`.
var mode = args.Length > 0 ? args[0] : "model";
switch (mode)
{
    case "model":
        if (Environment.GetEnvironmentVariable("T2L_BENCH_RSS_ONLY") is null)
        {
            ModelBenchmark.Run();
            Console.WriteLine();
        }

        InChild(LoadMemoryBenchmark.WriteSmallCheckpoint(), decodeTokens: 0);
        return 0;
    case "bf16":
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"machine: {Environment.ProcessorCount} logical CPUs, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}"));
        InChild(LoadMemoryBenchmark.WriteLargeCheckpoint(), decodeTokens: 16);
        DTypeDecodeBenchmark.Run();
        return 0;
    case "rss":
        LoadMemoryBenchmark.Run(args[1], int.Parse(args[2], CultureInfo.InvariantCulture));
        return 0;
    case "first-request":
        FirstRequestBenchmark.Run(RunChildCaptured, rounds: 3);
        return 0;
    case "first-request-child":
        await FirstRequestBenchmark.RunChildAsync(args[1] == "on");
        return 0;
    default:
        Console.Error.WriteLine("usage: Text2Lora.Bench [model | bf16 | first-request]");
        return 2;
}

static void InChild(string checkpoint, int decodeTokens)
{
    try
    {
        RunChild(string.Create(CultureInfo.InvariantCulture, $"rss \"{checkpoint}\" {decodeTokens}"));
    }
    finally
    {
        Directory.Delete(checkpoint, recursive: true);
    }
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
