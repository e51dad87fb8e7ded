using Text2Lora.Lora;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Text2Lora.Tests.Hypernetworks;

/// <summary>
/// Generation with the hypernetwork computing in bf16 (<see cref="Text2Lora.Hypernetworks.T2LHypernetwork.ToDType"/>)
/// against fp32 on the reference checkpoints: the adapters stay fp32 (PEFT's adapter dtype) and differ from the fp32
/// ones by bf16 rounding only.
/// </summary>
public sealed class BFloat16GenerationTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("M_sft")]
    [InlineData("L_sft")]
    [InlineData("M_recon_zscore")]
    public void Bf16_generation_matches_fp32_within_bf16_rounding(string variant)
    {
        using var embedding = T2LFixtures.TaskEmbedding(variant);
        using var fp32 = T2LFixtures.Load(variant);
        using var bf16 = fp32.ToDType(ScalarType.BFloat16);
        Assert.Equal(ScalarType.BFloat16, bf16.DType);
        Assert.All(bf16.Module.parameters(), p => Assert.Equal(ScalarType.BFloat16, p.dtype));
        Assert.Equal(ScalarType.Float32, fp32.DType); // the original is untouched

        var expected = fp32.Generate(embedding)[0];
        var actual = bf16.Generate(embedding)[0];
        try
        {
            double worstRelative = 0, worstMaxAbs = 0, worstScaled = 0;
            foreach (var (path, weights) in expected.Modules)
            {
                var other = actual.Modules.Single(m => m.Key == path).Value;
                foreach (var (e, a) in new[] { (weights.A, other.A), (weights.B, other.B) })
                {
                    Assert.Equal(ScalarType.Float32, a.dtype);
                    using var diff = a.sub(e);
                    var maxAbs = diff.abs().max().item<float>();
                    worstMaxAbs = Math.Max(worstMaxAbs, maxAbs);
                    worstScaled = Math.Max(worstScaled, maxAbs / e.abs().max().item<float>());
                    worstRelative = Math.Max(worstRelative, diff.norm().item<float>() / e.norm().item<float>());
                }
            }

            output.WriteLine($"{variant}: bf16 vs fp32 generated A, B: max abs {worstMaxAbs:E2}, max abs / max |fp32| {worstScaled:E2}, relative Frobenius {worstRelative:E2}");
            // bf16 rounds each weight and activation to 8 significant bits (relative 2⁻⁹ ≈ 0.2 %); the generated
            // factors pass through ~5 rounded layers, so a few × 0.2 % is expected. 2 % (Frobenius) and 5 % of the
            // largest factor (elementwise) are safe bounds that a wrong path (fp32 weights left unconverted and read as
            // bf16, a dropped offset, a z-score table not applied) exceeds by orders of magnitude.
            Assert.True(worstRelative < 0.02, $"relative Frobenius error {worstRelative}");
            Assert.True(worstScaled < 0.05, $"max abs error / max |fp32| {worstScaled}");
        }
        finally
        {
            expected.Dispose();
            actual.Dispose();
        }
    }

    [Fact]
    public void Only_model_dtypes_are_accepted()
    {
        using var hypernetwork = T2LFixtures.Load("S_sft");
        Assert.Throws<ArgumentException>(() => hypernetwork.ToDType(ScalarType.Int32));
        Assert.Equal(ScalarType.Float32, hypernetwork.DType);
    }
}
