using System.Globalization;
using Text2Lora.Models.Llama;
using static TorchSharp.torch;

namespace Text2Lora.Bench;

/// <summary>Peak resident memory while loading a synthetic ~100M-parameter bf16 checkpoint (run in a fresh process).</summary>
internal static class LoadMemoryBenchmark
{
    /// <summary>Written by the parent process, so the child's memory holds nothing but the runtime and the model.</summary>
    public static string WriteCheckpoint() =>
        SyntheticCheckpoint.Write(layers: 10, hidden: 768, heads: 12, kvHeads: 12, intermediate: 2048, vocab: 32000, tied: true, ScalarType.BFloat16);

    public static void Run(string dir)
    {
        Text2Lora.Runtime.TorchRuntime.EnsureAvailable();
        using (var warm = ones(8).add(1))
        {
        }

        {
            GC.Collect();
            var before = Status("VmRSS");
            ResetPeak();
            using var model = LlamaFamilyModel.Load(dir, new ModelLoadOptions { DType = ScalarType.BFloat16 });
            long parameters;
            using (var file = Text2Lora.IO.Safetensors.SafetensorsFile.Open(Path.Combine(dir, "model.safetensors")))
            {
                parameters = file.Tensors.Sum(t => t.Shape.Aggregate(1L, (a, b) => a * b));
            }

            var peak = Status("VmHWM");
            var after = Status("VmRSS");
            var anonymous = Status("RssAnon");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"load {parameters / 1e6:F1}M-parameter bf16 checkpoint: RSS before {before / 1e6:F0} MB, peak {peak / 1e6:F0} MB, " +
                $"peak - before = {(peak - before) / 1e6:F0} MB = {(double)(peak - before) / parameters:F2} bytes/param " +
                $"(peak includes the memory-mapped checkpoint pages); after load: RSS {after / 1e6:F0} MB, anonymous {anonymous / 1e6:F0} MB, " +
                $"RSS - before = {(double)(after - before) / parameters:F2} bytes/param"));
        }
    }

    /// <summary>Resets VmHWM to the current RSS (Linux: write 5 to /proc/self/clear_refs).</summary>
    private static void ResetPeak() => File.WriteAllText("/proc/self/clear_refs", "5");

    private static long Status(string field)
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }
}
