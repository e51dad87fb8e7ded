using System.Diagnostics;
using System.Globalization;
using Text2Lora.Models.Llama;
using Text2Lora.TextGeneration;
using static TorchSharp.torch;

namespace Text2Lora.Bench;

/// <summary>
/// Decode speed of one checkpoint loaded in fp32 and in bf16 (the reference benchmark config: Llama, 4 layers,
/// hidden 512, 8 heads, intermediate 1376, vocab 32000), alternating fp32 / bf16 runs so a busy machine slows both alike.
/// </summary>
internal static class DTypeDecodeBenchmark
{
    public static void Run()
    {
        var dir = SyntheticCheckpoint.Write(layers: 4, hidden: 512, heads: 8, kvHeads: 8, intermediate: 1376, vocab: 32000, tied: false, ScalarType.BFloat16);
        try
        {
            using var fp32 = LlamaFamilyModel.Load(dir);
            using var bf16 = LlamaFamilyModel.Load(dir, new ModelLoadOptions { DType = ScalarType.BFloat16 });
            using var noGrad = no_grad();
            var random = new Random(7);
            var prompt = new[] { Enumerable.Range(0, 128).Select(_ => random.Next(3, 32000)).ToArray() };
            var times = new Dictionary<ScalarType, List<double>> { [ScalarType.Float32] = [], [ScalarType.BFloat16] = [] };
            for (var round = 0; round < 4; round++)
            {
                foreach (var model in new[] { fp32, bf16 })
                {
                    var clock = Stopwatch.StartNew();
                    using var result = model.Generate(prompt, new GenerationOptions { MaxNewTokens = 128, EosTokenIds = [] });
                    if (round > 0)
                    {
                        times[model.DType].Add(clock.Elapsed.TotalSeconds); // round 0 warms up
                    }
                }
            }

            double Rate(ScalarType dtype) => 128 / times[dtype].Order().ElementAt(1);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"decode b=1, 128-token prompt + 128 new tokens, 4-layer hidden-512 Llama (median of 3, alternating): " +
                $"fp32 {Rate(ScalarType.Float32):F1} tok/s, bf16 {Rate(ScalarType.BFloat16):F1} tok/s (bf16/fp32 = {Rate(ScalarType.BFloat16) / Rate(ScalarType.Float32):F2}×)"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
