using System.Diagnostics;
using System.Globalization;
using Text2Lora.IO.Peft;
using Text2Lora.LoraGeneration;

namespace Text2Lora.Bench.Gte;

/// <summary>
/// Description → PEFT folder on disk, as <c>t2l generate</c> does it: <see cref="Text2LoraBuilder"/> with the
/// hypernetwork folder and the gte folder, <see cref="LoraGenerator.FromDescription"/>, <see cref="PeftAdapterFolder.Save"/>.
/// Times the three stages separately (the encoder with the checkpoint's preprocessing, the hypernetwork, the write)
/// and the whole call, interleaved, and the peak RSS of the process.
/// </summary>
internal static class EndToEndBenchmark
{
    // 30 words and a full stop; the synthetic vocabulary maps each word to one token, so ≈ 33 tokens with [CLS]/[SEP].
    private const string Description =
        "Summarize the given news article in three short sentences and keep every name date and figure exactly as it " +
        "appears in the original text without adding any opinion or outside facts";

    public static void Run(string gteDirectory, string hypernetworkDirectory, int iterations)
    {
        var before = ProcessMemory.Resident;
        ProcessMemory.ResetPeak();
        var clock = Stopwatch.StartNew();
        using var generator = Text2LoraBuilder.Create().WithHypernetwork(hypernetworkDirectory).WithEncoder(gteDirectory).WithEmbeddingCache(0).Build();
        var loadSeconds = clock.Elapsed.TotalSeconds;
        var loadPeak = ProcessMemory.Peak;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"end to end (gte-large shapes + T2L M for Mistral-7B shapes: 32 layers, q_proj/v_proj, r 8), fp32, {TorchSharp.torch.get_num_threads()} threads, load avg {ProcessMemory.LoadAverage}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"build (load gte + hypernetwork): {loadSeconds:F2} s; RSS before {before / 1e6:F0} MB, peak {loadPeak / 1e6:F0} MB"));

        var output = Path.Combine(Path.GetTempPath(), "t2l-bench-e2e-" + Guid.NewGuid().ToString("N"));
        var stages = new[] { new List<double>(), new List<double>(), new List<double>(), new List<double>() };
        long adapterBytes = 0;
        try
        {
            for (var i = 0; i < iterations + 2; i++)
            {
                var folder = Path.Combine(output, i.ToString(CultureInfo.InvariantCulture));
                var split = MeasureStages(generator, folder + "-stages");
                clock.Restart();
                using (var adapter = generator.FromDescription(Description))
                {
                    PeftAdapterFolder.Save(adapter, folder);
                }

                var whole = clock.Elapsed.TotalMilliseconds;
                if (i < 2)
                {
                    continue; // warm-up
                }

                stages[0].Add(split.Encode);
                stages[1].Add(split.Hypernetwork);
                stages[2].Add(split.Write);
                stages[3].Add(whole);
                adapterBytes = Directory.EnumerateFiles(folder).Sum(f => new FileInfo(f).Length);
                Directory.Delete(folder, recursive: true);
                Directory.Delete(folder + "-stages", recursive: true);
            }
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }

        string[] names = ["encode (add_full_stop, tokenize, gte)", "hypernetwork (embedding → 64 LoRA pairs)", "write PEFT folder", "FromDescription + Save (whole)"];
        for (var s = 0; s < stages.Length; s++)
        {
            stages[s].Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{names[s]}: median {stages[s][stages[s].Count / 2]:F1} ms, min {stages[s][0]:F1} ms"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"adapter folder {adapterBytes / 1e6:F1} MB; peak RSS of the process {ProcessMemory.Peak / 1e6:F0} MB ({iterations} runs after 2 warm-ups, load avg {ProcessMemory.LoadAverage})"));
    }

    private static (double Encode, double Hypernetwork, double Write) MeasureStages(LoraGenerator generator, string folder)
    {
        var clock = Stopwatch.StartNew();
        using var embedding = generator.TaskEncoder.Encode([Description]);
        var encode = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        var adapters = generator.FromTaskEmbeddings(embedding);
        var hypernetwork = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        PeftAdapterFolder.Save(adapters[0], folder);
        var write = clock.Elapsed.TotalMilliseconds;
        foreach (var adapter in adapters)
        {
            adapter.Dispose();
        }

        return (encode, hypernetwork, write);
    }
}
