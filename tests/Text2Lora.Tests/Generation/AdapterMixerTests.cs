using Text2Lora.LoraGeneration;
using Text2Lora.IO.Peft;
using Text2Lora.Lora;
using Text2Lora.Runtime;
using Text2Lora.Tests.Fakes;
using Text2Lora.Tests.Infrastructure;
using static TorchSharp.torch;

namespace Text2Lora.Tests.Generation;

[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class AdapterMixerTests : IDisposable
{
    private readonly LinearFakeHypernetwork _hypernetwork;
    private readonly IReadOnlyList<LoraAdapter> _adapters;

    public AdapterMixerTests()
    {
        TorchRuntime.EnsureAvailable();
        _hypernetwork = new LinearFakeHypernetwork(8);
        using var embeddings = randn(3, 8, generator: new TorchSharp.torch.Generator(7));
        _adapters = _hypernetwork.Generate(embeddings);
    }

    public void Dispose()
    {
        foreach (var adapter in _adapters)
        {
            adapter.Dispose();
        }

        _hypernetwork.Dispose();
    }

    private void AssertMixIsWeightedSumOfUpdates(LoraAdapter mixed, double[] weights)
    {
        foreach (var (path, factors) in mixed.Modules)
        {
            using var expected = zeros(factors.OutFeatures, factors.InFeatures);
            for (var i = 0; i < weights.Length; i++)
            {
                using var delta = _adapters[i].Modules[path].DeltaWeight();
                expected.add_(delta, alpha: weights[i]);
            }

            using var actual = factors.DeltaWeight();
            // Both sides are float32 sums of ~12 products of O(1) factors (scaling 2): rounding is ~1e-6.
            var error = (actual - expected).abs().max().item<float>();
            Assert.True(error < 1e-5, $"{path}: max |ΔW_mix − Σ wᵢ ΔWᵢ| = {error}");
            Assert.True(expected.abs().max().item<float>() > 0.1, "the check must compare non-trivial updates");
        }
    }

    [Fact]
    public void Mixed_update_is_exactly_the_weighted_sum_with_concatenated_ranks()
    {
        double[] weights = [0.5, 0.3, -0.2];
        using var mixed = AdapterMixer.Mix(_adapters, weights);

        Assert.Equal(12, mixed.Config.R);
        Assert.False(mixed.Config.UseRslora);
        Assert.All(mixed.Modules.Values, w => Assert.Equal(1.0, w.Scaling));
        Assert.All(mixed.Modules.Values, w => Assert.Equal(12, w.Rank));
        AssertMixIsWeightedSumOfUpdates(mixed, weights);
    }

    [Fact]
    public void Mixed_adapter_keeps_its_update_through_a_PEFT_folder()
    {
        double[] weights = [1, 1, 1];
        using var mixed = AdapterMixer.Mix(_adapters, weights);
        using var folder = new TempDirectory();
        PeftAdapterFolder.Save(mixed, folder.Path);
        using var loaded = PeftAdapterFolder.Load(folder.Path);

        Assert.Equal(1.0, loaded.Config.ScalingFor("model.layers.0.self_attn.q_proj"));
        AssertMixIsWeightedSumOfUpdates(loaded, weights);
    }

    [Fact]
    public void Weighted_descriptions_mix_the_generated_adapters()
    {
        var generator = new LoraGenerator(new CountingTaskEncoder(size: 8), _hypernetwork);
        using var mixed = generator.FromWeightedDescriptions([("Answer math questions.", 0.7), ("Write poems.", 0.3)]);
        var parts = generator.FromDescriptions(["Answer math questions.", "Write poems."]);
        using var expected = AdapterMixer.Mix(parts, [0.7, 0.3]);
        LoraGeneratorTests.AssertSameAdapter(expected, mixed);
        Assert.Equal("Answer math questions." + Environment.NewLine + "Write poems.", mixed.TaskDescription);
        foreach (var part in parts)
        {
            part.Dispose();
        }
    }

    [Fact]
    public void Invalid_mixes_are_rejected_naming_the_argument()
    {
        Assert.Equal("adapters", Assert.Throws<ArgumentException>(() => AdapterMixer.Mix([], [])).ParamName);
        Assert.Equal("weights", Assert.Throws<ArgumentException>(() => AdapterMixer.Mix(_adapters, [1, 2])).ParamName);
        Assert.Equal("weights", Assert.Throws<ArgumentException>(() => AdapterMixer.Mix(_adapters, [1, double.NaN, 1])).ParamName);

        var partial = new LoraAdapter(_adapters[0].Config, [KeyValuePair.Create("model.layers.0.self_attn.q_proj", new LoraWeights(zeros(4, 64), zeros(64, 4), 1))]);
        using (partial)
        {
            Assert.Equal("adapters", Assert.Throws<ArgumentException>(() => AdapterMixer.Mix([_adapters[0], partial], [1, 1])).ParamName);
        }
    }
}
