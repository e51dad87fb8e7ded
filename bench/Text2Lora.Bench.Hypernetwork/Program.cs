// Hypernetwork generation benchmark: Mistral-7B shapes (32 layers, hidden 4096, q_proj 4096→4096 and
// v_proj 4096→1024, r = 8), 1024-d task embedding, the reference's default sizes (latent 128, head_in 512),
// random weights. Times IHypernetwork.Generate (task embedding → PEFT-keyed LoraAdapter), encoder excluded.
// Each variant runs in its own process so that its peak RSS (VmHWM) is its own.
//
//   dotnet run -c Release --project bench/Text2Lora.Bench.Hypernetwork [-- L|M|S|all [iterations]]
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
    foreach (var size in new[] { "L", "M", "S" })
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

TorchRuntime.EnsureAvailable();
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
using var hypernetwork = new T2LHypernetwork(new HyperModulator(architecture, 8, Layers, modules), config, new LoraTargetDescription(Layers, modules));
var parameters = hypernetwork.Module.parameters().Sum(p => p.numel());
Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{variant}: peak RSS after construction {PeakRssMiB():F0} MiB"));
using var embedding = randn(1, 1024);

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
    $"{variant} | {times[times.Count / 2]:F1} | {times.Average():F1} | {times[0]:F1} | {PeakRssMiB():F0} | {parameters / 1e6:F1} M"));

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
