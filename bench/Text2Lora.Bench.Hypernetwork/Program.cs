// Hypernetwork generation benchmark: Mistral-7B shapes (32 layers, hidden 4096, q_proj 4096→4096 and
// v_proj 4096→1024, r = 8), 1024-d task embedding, the reference's default sizes (latent 128, head_in 512),
// random weights. Times IHypernetwork.Generate (task embedding → PEFT-keyed LoraAdapter), encoder excluded.
// Each variant runs in its own process so that its peak RSS (VmHWM) is its own.
//
// A "-bf16" suffix (e.g. M-bf16) converts the hypernetwork to bf16 (T2LHypernetwork.ToDType) after one fp32
// generation and reports the generated factors' error against it; the adapters stay fp32 (PEFT's dtype).
//
//   dotnet run -c Release --project bench/Text2Lora.Bench.Hypernetwork [-- L|M|S|M-bf16|all [iterations]]
using System.Diagnostics;
using System.Globalization;
using Text2Lora.Hypernetworks;
using Text2Lora.Lora;
using Text2Lora.Runtime;
using static TorchSharp.torch;

var variant = args.Length > 0 ? args[0] : "all";
var iterations = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 30;
if (variant == "all")
{
    Console.WriteLine($"threads: {get_num_threads()} (Environment.ProcessorCount {Environment.ProcessorCount}); {iterations} timed generations after 3 warm-ups");
    Console.WriteLine("variant | median ms | mean ms | min ms | peak RSS MiB | hypernetwork params");
    foreach (var size in new[] { "L", "M", "S", "L-bf16", "M-bf16", "S-bf16" })
    {
        // Re-launch this program (apphost, or `dotnet <dll>` when started that way) for one variant.
        var host = Environment.ProcessPath!;
        string[] childArgs = Path.GetFileNameWithoutExtension(host) == "dotnet"
            ? [typeof(HyperModulator).Assembly.Location.Replace("Text2Lora.dll", "Text2Lora.Bench.Hypernetwork.dll", StringComparison.Ordinal), size, iterations.ToString(CultureInfo.InvariantCulture)]
            : [size, iterations.ToString(CultureInfo.InvariantCulture)];
        using var child = Process.Start(new ProcessStartInfo(host, childArgs) { RedirectStandardOutput = true })!;
        Console.Write(child.StandardOutput.ReadToEnd());
        child.WaitForExit();
    }

    return;
}

// glibc's dynamic mmap threshold makes peak RSS vary from run to run (docs/benchmarks.md, "Peak RSS"): the first
// freed multi-MiB buffer raises the threshold, after which the heads' 1–8 MiB transients come from malloc's heaps
// and per-thread arenas, where fragmentation decides how much stays resident. A fixed 4 MiB threshold (what
// MALLOC_MMAP_THRESHOLD_=4194304 sets) returns those buffers to the OS on free. T2L_BENCH_GLIBC_DEFAULT=1 skips it.
if (OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable("T2L_BENCH_GLIBC_DEFAULT") is null)
{
    const int MmapThreshold = -3; // M_MMAP_THRESHOLD in malloc.h
    if (Mallopt(MmapThreshold, 4 << 20) != 1)
    {
        Console.Error.WriteLine("mallopt(M_MMAP_THRESHOLD) failed; glibc defaults apply");
    }
}

TorchRuntime.EnsureAvailable();
var bf16 = variant.EndsWith("-bf16", StringComparison.Ordinal);
variant = bf16 ? variant[..^"-bf16".Length] : variant;
manual_seed(0);
const int Layers = 32;
const int Hidden = 4096;
LoraTargetModule[] modules =
[
    new("q_proj", "model.layers.{0}.self_attn.q_proj", Hidden, Hidden),
    new("v_proj", "model.layers.{0}.self_attn.v_proj", Hidden, 1024),
];
var architecture = new HyperModulatorArchitecture
{
    TaskEmbeddingSize = 1024,
    LatentSize = 128,
    HeadInSize = 512,
    SharedABHead = variant is "M" or "S",
    AutoregressiveGeneration = variant is "S",
};
var config = new LoraConfig { R = 8, LoraAlpha = 16, TargetModules = TargetModules.FromNames(["q_proj", "v_proj"]), BaseModelNameOrPath = "mistralai/Mistral-7B-Instruct-v0.2" };
var hypernetwork = new T2LHypernetwork(new HyperModulator(architecture, 8, Layers, modules), config, new LoraTargetDescription(Layers, modules));
var parameters = hypernetwork.Module.parameters().Sum(p => p.numel());
Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{variant}: peak RSS after construction {PeakRssMiB():F0} MiB"));
using var embedding = randn(1, 1024);
var errorReport = "";
if (bf16)
{
    var reference = hypernetwork.Generate(embedding)[0];
    var converted = hypernetwork.ToDType(ScalarType.BFloat16);
    hypernetwork.Dispose();
    hypernetwork = converted;
    var generated = hypernetwork.Generate(embedding)[0];
    double maxAbs = 0, maxScaled = 0, maxRelative = 0;
    foreach (var (path, expected) in reference.Modules)
    {
        var actual = generated.Modules.Single(m => m.Key == path).Value;
        foreach (var (e, a) in new[] { (expected.A, actual.A), (expected.B, actual.B) })
        {
            using var diff = a.sub(e);
            var abs = diff.abs().max().item<float>();
            maxAbs = Math.Max(maxAbs, abs);
            maxScaled = Math.Max(maxScaled, abs / e.abs().max().item<float>());
            maxRelative = Math.Max(maxRelative, diff.norm().item<float>() / e.norm().item<float>());
        }
    }

    errorReport = string.Create(CultureInfo.InvariantCulture, $" | bf16 vs fp32 A,B: max abs {maxAbs:E2}, max abs / max|fp32| {maxScaled:E2}, relative Frobenius {maxRelative:E2} (worst module)");
    reference.Dispose();
    generated.Dispose();
    variant += "-bf16";
}

for (var i = 0; i < 3; i++)
{
    Generate();
}

Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{variant}: peak RSS after warm-up {PeakRssMiB():F0} MiB"));
// Full generations and forward passes alone alternate, so drift (turbo, page cache, other load) hits both alike.
var times = new List<double>(iterations);
var forwardTimes = new List<double>(iterations);
for (var i = 0; i < iterations; i++)
{
    var watch = Stopwatch.StartNew();
    Generate();
    times.Add(watch.Elapsed.TotalMilliseconds);

    watch.Restart();
    using (no_grad())
    using (var output = hypernetwork.Module.Generate(embedding))
    {
        forwardTimes.Add(watch.Elapsed.TotalMilliseconds);
    }
}

forwardTimes.Sort();
times.Sort();
Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{variant}: forward only (no adapter split): median {forwardTimes[iterations / 2]:F1} ms, min {forwardTimes[0]:F1} ms"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{variant} | {times[times.Count / 2]:F1} | {times.Average():F1} | {times[0]:F1} | {PeakRssMiB():F0} | {parameters / 1e6:F1} M{errorReport}"));
hypernetwork.Dispose();

void Generate()
{
    foreach (var adapter in hypernetwork.Generate(embedding))
    {
        adapter.Dispose();
    }
}

static double PeakRssMiB()
{
    var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
    return line is null ? double.NaN : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
}

[System.Runtime.InteropServices.DllImport("libc", EntryPoint = "mallopt")]
static extern int Mallopt(int parameter, int value);
