using Text2Lora.Abstractions;
using Text2Lora.IO.Peft;
using Text2Lora.Models.Llama;
using Text2Lora.Tests.Infrastructure;
using static TorchSharp.torch;

namespace Text2Lora.Tests.Models;

/// <summary>The training loss without logits (output head on counted positions only) equals the full-logits loss.</summary>
[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class LabelledPositionsLossTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    public void Loss_and_its_gradient_match_the_full_logits_path(double labelSmoothing)
    {
        using var model = LlamaFamilyModel.Load(FixturePaths.Get("llama", "model"));
        using var adapter = PeftAdapterFolder.Load(FixturePaths.Get("llama", "lora_qv"));
        using var ids = randint(3, 512, [3, 10], ScalarType.Int64, generator: new Generator(5));
        // Prompt-style masking: a different number of leading positions per row, plus one masked tail position.
        using var labels = ids.clone();
        labels[0, ..4] = tensor(-100L);
        labels[1, ..7] = tensor(-100L);
        labels[2, ..2] = tensor(-100L);
        labels[2, 9] = tensor(-100L);

        var (full, fullGrad) = LossAndGradient(model, adapter, ids, labels, labelSmoothing, computeLogits: true);
        var (counted, countedGrad) = LossAndGradient(model, adapter, ids, labels, labelSmoothing, computeLogits: false);

        // Same sums over the same rows, only the head's GEMM shape differs: float32 rounding (loss ≈ 6).
        Assert.Equal(full, counted, 1e-5);
        Assert.True(fullGrad.sub(countedGrad).abs().max().item<float>() < 1e-5 * Math.Max(1, fullGrad.abs().max().item<float>()));
    }

    private static (double Loss, Tensor Gradient) LossAndGradient(LlamaFamilyModel model, Text2Lora.Lora.LoraAdapter adapter, Tensor ids, Tensor labels, double smoothing, bool computeLogits)
    {
        var path = adapter.Modules.Keys.First();
        var source = adapter.Modules[path];
        using var b = source.B.detach().clone().requires_grad_(true);
        var modules = adapter.Modules.Select(kv => KeyValuePair.Create(kv.Key, kv.Key == path
            ? new Text2Lora.Lora.LoraWeights(kv.Value.A.alias(), b.alias(), kv.Value.Scaling)
            : new Text2Lora.Lora.LoraWeights(kv.Value.A.alias(), kv.Value.B.alias(), kv.Value.Scaling))).ToList();
        using var trainable = new Text2Lora.Lora.LoraAdapter(adapter.Config, modules);
        using var active = model.PrepareAdapter(trainable);
        using var output = model.Forward(new ModelForwardInput(ids) { Labels = labels, LabelSmoothing = smoothing, Adapters = active, ComputeLogits = computeLogits });
        Assert.Equal(computeLogits, output.Logits is not null);
        output.Loss!.backward();
        return (output.Loss.item<float>(), b.grad!.clone());
    }
}
