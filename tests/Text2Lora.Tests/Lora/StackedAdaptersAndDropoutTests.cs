using Text2Lora.Abstractions;
using Text2Lora.IO.Peft;
using Text2Lora.Lora;
using Text2Lora.Models.Llama;
using Text2Lora.Tests.Infrastructure;
using Text2Lora.Tests.Training;
using static TorchSharp.torch;

namespace Text2Lora.Tests.Lora;

/// <summary>The training additions to runtime LoRA: per-sequence adapters from stacked factors, and LoRA dropout.</summary>
// Dropout draws from the global torch generator, which the exact-resume tests need undisturbed.
[Trait(TestCategory.Key, TestCategory.Behaviour)]
[Collection(nameof(GlobalTorchRngCollection))]
public sealed class StackedAdaptersAndDropoutTests
{
    [Fact]
    public void Stacked_factors_give_the_logits_of_the_same_adapters_prepared_one_by_one()
    {
        using var model = LlamaFamilyModel.Load(FixturePaths.Get("llama", "model"));
        using var first = PeftAdapterFolder.Load(FixturePaths.Get("llama", "lora_qv"));
        // A second, different adapter: B negated and halved.
        using var second = new LoraAdapter(first.Config, first.Modules.Select(kv =>
            KeyValuePair.Create(kv.Key, new LoraWeights(kv.Value.A.clone(), kv.Value.B.mul(-0.5), kv.Value.Scaling))).ToList());
        using var ids = randint(3, 512, [2, 9], ScalarType.Int64, generator: new Generator(4));

        var targets = new LoraTargetDescription(model.LoraTargets.LayerCount, [model.LoraTargets.Get("q_proj"), model.LoraTargets.Get("v_proj")]);
        using var scope = NewDisposeScope();
        var stacked = targets.Modules.ToDictionary(
            m => m.Name,
            m => (
                stack([.. new[] { first, second }.Select(a => stack([.. Enumerable.Range(0, targets.LayerCount).Select(l => a.Find(m.PathForLayer(l))!.A)]))]),
                stack([.. new[] { first, second }.Select(a => stack([.. Enumerable.Range(0, targets.LayerCount).Select(l => a.Find(m.PathForLayer(l))!.B)]))])));

        using var fromStacks = ActiveAdapters.PerSequenceStacked(targets, stacked, first.Config.ScalingFor);
        using var oneByOne = model.PrepareAdapters([first, second]);
        using var expected = model.Forward(new ModelForwardInput(ids) { Adapters = oneByOne });
        using var actual = model.Forward(new ModelForwardInput(ids) { Adapters = fromStacks });
        using var unadapted = model.Forward(new ModelForwardInput(ids));

        // Same bmm on the same numbers (views instead of copies): equal to float32 rounding; logits are O(1).
        Assert.True(actual.Logits!.sub(expected.Logits!).abs().max().item<float>() < 1e-5);
        // And the adapters do act (the fixture's adapter moves logits by up to ~1.5).
        Assert.True(actual.Logits!.sub(unadapted.Logits!).abs().max().item<float>() > 0.1);
    }

    [Fact]
    public void Lora_dropout_perturbs_only_the_adapter_branch_and_zero_dropout_changes_nothing()
    {
        using var model = LlamaFamilyModel.Load(FixturePaths.Get("llama", "model"));
        using var adapter = PeftAdapterFolder.Load(FixturePaths.Get("llama", "lora_qv"));
        using var ids = randint(3, 512, [1, 12], ScalarType.Int64, generator: new Generator(8));
        using var zeroB = new LoraAdapter(adapter.Config, adapter.Modules.Select(kv =>
            KeyValuePair.Create(kv.Key, new LoraWeights(kv.Value.A.clone(), zeros_like(kv.Value.B), kv.Value.Scaling))).ToList());

        Tensor Logits(LoraAdapter a, double dropout, long seed)
        {
            manual_seed(seed);
            using var active = ActiveAdapters.Shared(a, dropout: dropout);
            using var output = model.Forward(new ModelForwardInput(ids) { Adapters = active });
            return output.Logits!.clone();
        }

        using var plain = Logits(adapter, 0, 1);
        using var plainAgain = Logits(adapter, 0, 2);
        using var dropped = Logits(adapter, 0.5, 1);
        using var droppedOtherSeed = Logits(adapter, 0.5, 2);
        Assert.Equal(0, plain.sub(plainAgain).abs().max().item<float>());
        Assert.True(dropped.sub(plain).abs().max().item<float>() > 1e-3);
        Assert.True(dropped.sub(droppedOtherSeed).abs().max().item<float>() > 1e-3);

        // With B = 0 the branch adds nothing whatever is dropped: dropout never touches the base path.
        using var baseOnly = model.Forward(new ModelForwardInput(ids));
        using var zeroBranch = Logits(zeroB, 0.5, 3);
        Assert.Equal(0, zeroBranch.sub(baseOnly.Logits!).abs().max().item<float>());
        Assert.Throws<ArgumentOutOfRangeException>(() => ActiveAdapters.Shared(adapter, dropout: 1.0));
    }
}
