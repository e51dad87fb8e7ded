using System.Diagnostics;
using System.Globalization;
using Text2Lora.Bench.Gte;
using Text2Lora.Encoders;
using TorchSharp;
using static TorchSharp.torch;

// One command: `dotnet run -c Release --project bench/Text2Lora.Bench.Gte` (see docs/benchmarks.md, "gte encoder").
// The parent writes a random gte-large-en-v1.5-shaped checkpoint; a fresh child process measures peak RSS while
// loading it, then the time to embed one 32-token description and a batch of 16.
var mode = args.Length > 0 ? args[0] : "gte";
switch (mode)
{
    case "gte":
        var directory = GteCheckpoint.Write();
        try
        {
            RunChild($"child \"{directory}\"");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }

        return 0;
    case "child":
        Child(args[1]);
        return 0;
    default:
        Console.Error.WriteLine("usage: Text2Lora.Bench.Gte [gte]");
        return 2;
}

static void Child(string directory)
{
    Text2Lora.Runtime.TorchRuntime.EnsureAvailable();
    if (Environment.GetEnvironmentVariable("T2L_BENCH_THREADS") is { } threads)
    {
        torch.set_num_threads(int.Parse(threads, CultureInfo.InvariantCulture));
    }

    using (var warm = ones(8).add(1))
    {
    }

    GC.Collect();
    var before = Status("VmRSS");
    File.WriteAllText("/proc/self/clear_refs", "5"); // reset VmHWM to the current RSS
    var clock = Stopwatch.StartNew();
    using var encoder = GteTaskEncoder.Load(directory);
    var loadSeconds = clock.Elapsed.TotalSeconds;
    var peak = Status("VmHWM");
    var weightBytes = new FileInfo(Path.Combine(directory, "model.safetensors")).Length;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"gte-large shapes (24 × 1024, 16 heads, 4096, vocab 30528), fp32, {torch.get_num_threads()} threads, load avg {File.ReadAllText("/proc/loadavg").Trim()}"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"load: {loadSeconds:F2} s; weights {weightBytes / 1e6:F0} MB; RSS before {before / 1e6:F0} MB, peak {peak / 1e6:F0} MB; " +
        $"peak - before = {(double)(peak - before) / weightBytes:F2} × weight bytes"));

    var random = new Random(3);
    IReadOnlyList<int> Description() => [101, .. Enumerable.Range(0, 30).Select(_ => random.Next(1000, 30000)), 102];
    var one = new[] { Description() };
    var sixteen = Enumerable.Range(0, 16).Select(_ => Description()).ToArray();
    Measure("one 32-token description", one, encoder, iterations: 20);
    Measure("batch of 16 × 32 tokens", sixteen, encoder, iterations: 5);
    Measure("one description via Encode (tokenizer included)", null, encoder, iterations: 20);
}

static void Measure(string name, IReadOnlyList<int>[]? ids, GteTaskEncoder encoder, int iterations)
{
    // ~32 tokens with the synthetic vocabulary: 30 words w1000.. plus [CLS]/[SEP].
    string[] text = [string.Join(' ', Enumerable.Range(1000, 30).Select(i => $"w{i}"))];
    Tensor Run() => ids is null ? encoder.Encode(text) : encoder.EncodeTokenIds(ids);
    for (var i = 0; i < 2; i++)
    {
        Run().Dispose();
    }

    var times = new List<double>();
    for (var i = 0; i < iterations; i++)
    {
        var clock = Stopwatch.StartNew();
        Run().Dispose();
        times.Add(clock.Elapsed.TotalSeconds);
    }

    times.Sort();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name}: median {times[times.Count / 2] * 1000:F1} ms, min {times[0] * 1000:F1} ms ({iterations} runs after 2 warm-up)"));
}

static long Status(string field)
{
    var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
}

static void RunChild(string childMode)
{
    var start = new ProcessStartInfo(Environment.ProcessPath!, string.Create(CultureInfo.InvariantCulture, $"\"{typeof(GteCheckpoint).Assembly.Location}\" {childMode}"))
    {
        UseShellExecute = false,
    };
    if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) != "dotnet")
    {
        start.Arguments = childMode;
    }

    using var process = Process.Start(start)!;
    process.WaitForExit();
}
