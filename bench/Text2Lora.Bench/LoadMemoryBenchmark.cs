using System.Diagnostics;
using System.Globalization;
using Text2Lora.Models.Llama;
using Text2Lora.TextGeneration;
using static TorchSharp.torch;

namespace Text2Lora.Bench;

/// <summary>
/// Peak resident memory while loading a bf16 checkpoint, measured in a fresh child process so that its memory holds
/// nothing but the runtime and the model (VmHWM of /proc/self/status, which includes the memory-mapped checkpoint
/// pages that are resident at the peak); optionally followed by the bf16 decode speed of the loaded model.
/// </summary>
internal static class LoadMemoryBenchmark
{
    /// <summary>The goal of issue 12: peak RSS ≤ 1.15 × the bf16 weight bytes.</summary>
    public const double PeakGoal = 1.15;

    /// <summary>~100M parameters, one file (the `model` mode's check).</summary>
    public static string WriteSmallCheckpoint() =>
        SyntheticCheckpoint.Write(layers: 10, hidden: 768, heads: 12, kvHeads: 12, intermediate: 2048, vocab: 32000, tied: true, ScalarType.BFloat16);

    /// <summary>
    /// TinyLlama-1.1B's shape (22 layers, hidden 2048, 32 heads, 4 KV heads, intermediate 5632, vocab 32000, untied):
    /// 1.10 B parameters, 2.2 GB in bf16, in 1 GB shards with model.safetensors.index.json, written tensor by tensor.
    /// </summary>
    public static string WriteLargeCheckpoint() =>
        SyntheticCheckpoint.Write(layers: 22, hidden: 2048, heads: 32, kvHeads: 4, intermediate: 5632, vocab: 32000, tied: false, ScalarType.BFloat16, shardBytes: 1L << 30);

    /// <summary>Child mode: load <paramref name="dir"/> in bf16, report the peak, then decode <paramref name="decodeTokens"/> tokens (0: none).</summary>
    public static void Run(string dir, int decodeTokens)
    {
        Text2Lora.Runtime.TorchRuntime.EnsureAvailable();
        using (var warm = ones(8).add(1))
        {
        }

        var weightBytes = SyntheticCheckpoint.WeightBytes(dir);
        var parameters = SyntheticCheckpoint.Parameters(dir);
        GC.Collect();
        var before = Status("VmRSS");
        var clock = Stopwatch.StartNew();
        using var model = LlamaFamilyModel.Load(dir, new ModelLoadOptions { DType = ScalarType.BFloat16 });
        var seconds = clock.Elapsed.TotalSeconds;
        var peak = Status("VmHWM");
        var after = Status("VmRSS");
        var anonymous = Status("RssAnon");
        var shards = Directory.GetFiles(dir, "*.safetensors").Length;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"load {parameters / 1e9:F2} B-parameter bf16 checkpoint ({shards} shard(s), {weightBytes / 1e9:F2} GB of weights) in {seconds:F1} s: " +
            $"peak RSS {peak / 1e9:F2} GB = {(double)peak / weightBytes:F3} × weight bytes (goal ≤ {PeakGoal}) " +
            $"[RSS before load {before / 1e6:F0} MB (runtime); peak − before = {(double)(peak - before) / weightBytes:F3} × weight bytes]; " +
            $"after load: RSS {after / 1e9:F2} GB, anonymous {anonymous / 1e9:F2} GB"));
        if (peak > PeakGoal * weightBytes)
        {
            Console.WriteLine($"  GOAL MISSED: peak RSS above {PeakGoal} × weight bytes");
        }

        if (decodeTokens > 0)
        {
            using var noGrad = no_grad();
            var prompt = new[] { Enumerable.Range(0, 16).Select(i => 3 + (i * 997 % 31000)).ToArray() };
            var options = new GenerationOptions { MaxNewTokens = decodeTokens, EosTokenIds = [] };
            using (model.Generate(prompt, new GenerationOptions { MaxNewTokens = 2, EosTokenIds = [] }))
            {
            }

            clock.Restart();
            using var prefillOnly = model.Generate(prompt, new GenerationOptions { MaxNewTokens = 1, EosTokenIds = [] });
            var prefill = clock.Elapsed.TotalSeconds;
            clock.Restart();
            using var result = model.Generate(prompt, options);
            var total = clock.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"bf16 decode, batch 1, 16-token prompt, {decodeTokens} new tokens: {(decodeTokens - 1) / (total - prefill):F2} tokens/s " +
                $"({total:F1} s for the whole generate call; peak RSS now {Status("VmHWM") / 1e9:F2} GB)"));
        }
    }

    private static long Status(string field)
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }
}
