using System.Diagnostics;
using System.Globalization;
using Text2Lora.Encoders;
using TorchSharp;
using static TorchSharp.torch;

namespace Text2Lora.Bench.Gte;

/// <summary>
/// Peak RSS while loading a gte-large-shaped folder, then the time to embed one 32-token description, a batch of 16,
/// and one description through <see cref="GteTaskEncoder.Encode"/> (tokenizer included), in float32 (the reference's
/// dtype, the one the goals are for) or bfloat16 (optional, not bit-compatible with the reference).
/// </summary>
internal static class EncoderBenchmark
{
    public static void Run(string directory, ScalarType dtype)
    {
        GC.Collect();
        var before = ProcessMemory.Resident;
        ProcessMemory.ResetPeak();
        var clock = Stopwatch.StartNew();
        using var encoder = GteTaskEncoder.Load(directory, dtype: dtype);
        var loadSeconds = clock.Elapsed.TotalSeconds;
        var peak = ProcessMemory.Peak;
        var weightBytes = new FileInfo(Path.Combine(directory, "model.safetensors")).Length;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"gte-large shapes (24 × 1024, 16 heads, 4096, vocab 30528), {dtype} weights and activations, {torch.get_num_threads()} threads, load avg {ProcessMemory.LoadAverage}"));
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

    private static void Measure(string name, IReadOnlyList<int>[]? ids, GteTaskEncoder encoder, int iterations)
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
        var tokens = (ids?.Sum(d => d.Count) ?? 32) * 1.0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: median {times[times.Count / 2] * 1000:F1} ms, min {times[0] * 1000:F1} ms, {GteFlops(tokens) / times[times.Count / 2] / 1e9:F0} GFLOP/s at the median ({iterations} runs after 2 warm-ups, load avg {ProcessMemory.LoadAverage})"));
    }

    /// <summary>Matmul FLOPs of gte-large for <paramref name="tokens"/> tokens: 2 · 402.7 M weights per token (attention scores ignored).</summary>
    private static double GteFlops(double tokens) => 2.0 * 24 * ((3 + 1) * 1024.0 * 1024 + 3 * 1024.0 * 4096) * tokens;
}
