using Text2Lora.LoraGeneration;
using Text2Lora.Lora;
using static TorchSharp.torch;
using Text2Lora.Tests.Infrastructure;

namespace Text2Lora.Tests.Generation;

/// <summary>
/// <see cref="AdapterMixing.FactorInterpolation"/> (the reference's <c>lora_mixing.py</c>) on rank-1 factors small
/// enough to mix by hand, beside <see cref="AdapterMixing.ExactDelta"/> on the same inputs.
/// </summary>
[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class AdapterFactorInterpolationTests
{
    private const string Path = "model.layers.0.self_attn.q_proj";

    // Adapter 1: A = [1 2], B = [3; 4]; adapter 2: A = [0 1], B = [1; 0]; both r = 1, alpha = 2 (scaling 2).
    private static LoraAdapter Adapter(float[] a, float[] b, int r = 1, int alpha = 2) =>
        new(new LoraConfig { R = r, LoraAlpha = alpha, TargetModules = TargetModules.FromNames(["q_proj"]) },
            [KeyValuePair.Create(Path, new LoraWeights(tensor(a, [r, 2]), tensor(b, [2, r]), (double)alpha / r))]);

    [Fact]
    public void Factors_are_interpolated_one_by_one_at_the_common_rank()
    {
        using var first = Adapter([1, 2], [3, 4]);
        using var second = Adapter([0, 1], [1, 0]);

        using var mixed = AdapterMixer.Mix([first, second], [0.25, 0.75], AdapterMixing.FactorInterpolation);

        var factors = mixed.Modules[Path];
        // A = 0.25·[1 2] + 0.75·[0 1] = [0.25 1.25]; B = 0.25·[3; 4] + 0.75·[1; 0] = [1.5; 1]. All exact in float32.
        Assert.Equal([0.25f, 1.25f], factors.A.data<float>().ToArray());
        Assert.Equal([1.5f, 1f], factors.B.data<float>().ToArray());
        Assert.Equal(1, mixed.Config.R);
        Assert.Equal(2, mixed.Config.LoraAlpha);
        Assert.Equal(2.0, factors.Scaling);

        // ΔW = 2·B·A = 2·[[0.375 1.875]; [0.25 1.25]], not Σ wᵢΔWᵢ = 0.25·2·[[3 6]; [4 8]] + 0.75·2·[[0 1]; [0 0]].
        using var delta = factors.DeltaWeight();
        Assert.Equal([0.75f, 3.75f, 0.5f, 2.5f], delta.data<float>().ToArray());
        using var exact = AdapterMixer.Mix([first, second], [0.25, 0.75], AdapterMixing.ExactDelta);
        using var exactDelta = exact.Modules[Path].DeltaWeight();
        Assert.Equal([1.5f, 4.5f, 2f, 4f], exactDelta.data<float>().ToArray());
        Assert.Equal(2, exact.Config.R);
    }

    [Fact]
    public void At_an_end_point_the_adapter_comes_back_unchanged()
    {
        using var first = Adapter([1, 2], [3, 4]);
        using var second = Adapter([0, 1], [1, 0]);

        using var mixed = AdapterMixer.Mix([first, second], [0, 1], AdapterMixing.FactorInterpolation);

        Assert.Equal([0f, 1f], mixed.Modules[Path].A.data<float>().ToArray());
        Assert.Equal([1f, 0f], mixed.Modules[Path].B.data<float>().ToArray());
    }

    [Fact]
    public void Different_ranks_or_scalings_are_refused_only_by_factor_interpolation()
    {
        using var first = Adapter([1, 2], [3, 4]);
        using var otherAlpha = Adapter([0, 1], [1, 0], alpha: 4);
        using var otherRank = Adapter([0, 1, 1, 0], [1, 0, 0, 1], r: 2, alpha: 4);

        foreach (var other in new[] { otherAlpha, otherRank })
        {
            var ex = Assert.Throws<ArgumentException>(() => AdapterMixer.Mix([first, other], [0.5, 0.5], AdapterMixing.FactorInterpolation));
            Assert.Equal("adapters", ex.ParamName);
            Assert.Contains(Path, ex.Message, StringComparison.Ordinal);
            using var exact = AdapterMixer.Mix([first, other], [0.5, 0.5], AdapterMixing.ExactDelta);
        }
    }
}
