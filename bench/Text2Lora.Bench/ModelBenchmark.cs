using Text2Lora.TextGeneration;
using System.Diagnostics;
using System.Globalization;
using Text2Lora.Abstractions;
using Text2Lora.Lora;
using Text2Lora.Models.Llama;
using static TorchSharp.torch;

namespace Text2Lora.Bench;

/// <summary>
/// Prefill and decode throughput of the reference benchmark config (Llama, 4 layers, hidden 512, 8 heads,
/// 8 KV heads, intermediate 1376, vocab 32000, fp32, random weights) with no adapter, a runtime LoRA
/// (r=8 on q_proj, v_proj), per-sequence adapters and a merged adapter; plus decode cost vs prefix length.
/// </summary>
internal static class ModelBenchmark
{
    public static void Run()
    {
        if (Environment.GetEnvironmentVariable("T2L_BENCH_THREADS") is { } threads)
        {
            set_num_threads(int.Parse(threads, CultureInfo.InvariantCulture));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"machine: {Environment.ProcessorCount} logical CPUs, torch threads {get_num_threads()}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}"));
        var dir = SyntheticCheckpoint.Write(layers: 4, hidden: 512, heads: 8, kvHeads: 8, intermediate: 1376, vocab: 32000, tied: false, ScalarType.Float32);
        try
        {
            using var model = LlamaFamilyModel.Load(dir);
            using var noGrad = no_grad();
            var adapters = Enumerable.Range(0, 8).Select(i => RandomAdapter(model, seed: 100 + i)).ToArray();

            Console.WriteLine("| variant | prefill 1x512 tok/s (all logits) | prefill 1x512 tok/s (generate: last logits) | decode b=1 tok/s | decode b=8 tok/s |");
            Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
            Row(model, "no adapter", _ => null);
            if (Environment.GetEnvironmentVariable("T2L_BENCH_QUICK") is not null)
            {
                return;
            }

            Row(model, "runtime LoRA r=8 q,v", _ => model.PrepareAdapter(adapters[0]));
            Row(model, "per-sequence LoRA (distinct per row)", batch => model.PrepareAdapters(adapters.Take(batch).ToArray()));
            model.MergeAdapter(adapters[0]);
            Row(model, "merged LoRA", _ => null);
            model.UnmergeAdapter();

            Console.WriteLine();
            Console.WriteLine("| prefix length | decode ms/token (b=1) |");
            Console.WriteLine("| ---: | ---: |");
            foreach (var prefix in new[] { 64, 256, 1024 })
            {
                var prompt = Prompts(1, prefix);
                var prefill = Median(3, () => Time(() => model.Generate(prompt, Greedy(1)).Dispose()));
                var full = Median(3, () => Time(() => model.Generate(prompt, Greedy(65)).Dispose()));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {prefix} | {(full - prefill) / 64 * 1000:F2} |"));
            }

            foreach (var a in adapters)
            {
                a.Dispose();
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void Row(LlamaFamilyModel model, string name, Func<int, ActiveAdapters?> prepare)
    {
        using var ids = randint(3, 32000, [1, 512], ScalarType.Int64);
        using (var prefillAdapters = prepare(1))
        {
            var prefill = Median(5, () => Time(() => model.Forward(new ModelForwardInput(ids) { Adapters = prefillAdapters }).Dispose()));
            var prompt = Prompts(1, 512);
            var generatePrefill = Median(5, () => Time(() => model.Generate(prompt, Greedy(1), prefillAdapters).Dispose()));
            var d1 = Decode(model, 1, prepare);
            var d8 = Decode(model, 8, prepare);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {512 / prefill:F0} | {512 / generatePrefill:F0} | {d1:F1} | {d8:F1} |"));
        }
    }

    /// <summary>New tokens per second of a 128-token greedy decode after a 128-token prompt (whole generate() call).</summary>
    private static double Decode(LlamaFamilyModel model, int batch, Func<int, ActiveAdapters?> prepare)
    {
        var prompts = Prompts(batch, 128);
        using var adapters = prepare(batch);
        var seconds = Median(3, () => Time(() =>
        {
            using var result = model.Generate(prompts, Greedy(128), adapters);
            if (result.Sequences.Any(s => s.TokenIds.Count != 128))
            {
                throw new InvalidOperationException("every sequence must decode 128 tokens");
            }
        }));
        return batch * 128 / seconds;
    }

    private static GenerationOptions Greedy(int tokens) => new() { MaxNewTokens = tokens, EosTokenIds = [] };

    private static int[][] Prompts(int batch, int length)
    {
        var random = new Random(7);
        return Enumerable.Range(0, batch).Select(_ => Enumerable.Range(0, length).Select(_ => random.Next(3, 32000)).ToArray()).ToArray();
    }

    private static LoraAdapter RandomAdapter(LlamaFamilyModel model, int seed)
    {
        manual_seed(seed);
        var config = new LoraConfig { R = 8, LoraAlpha = 16, TargetModules = TargetModules.FromNames(["q_proj", "v_proj"]) };
        var modules = new List<KeyValuePair<string, LoraWeights>>();
        for (var layer = 0; layer < model.Config.NumHiddenLayers; layer++)
        {
            foreach (var name in new[] { "q_proj", "v_proj" })
            {
                var target = model.LoraTargets.Get(name);
                modules.Add(KeyValuePair.Create(target.PathForLayer(layer),
                    new LoraWeights(randn(8, target.InFeatures).mul_(0.02), randn(target.OutFeatures, 8).mul_(0.02), config.ScalingFor(name))));
            }
        }

        return new LoraAdapter(config, modules);
    }

    private static double Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>One warm-up run, then the median of <paramref name="runs"/> timed runs.</summary>
    private static double Median(int runs, Func<double> measure)
    {
        measure();
        var times = Enumerable.Range(0, runs).Select(_ => measure()).Order().ToArray();
        return times[runs / 2];
    }
}
