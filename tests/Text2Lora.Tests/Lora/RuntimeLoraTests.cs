using Text2Lora.TextGeneration;
using Text2Lora.Abstractions;
using Text2Lora.IO.Peft;
using Text2Lora.IO.Safetensors;
using Text2Lora.Lora;
using Text2Lora.Models.Llama;
using Text2Lora.Tests.Generation;
using Text2Lora.Tests.Infrastructure;
using Text2Lora.Tests.Models;
using static TorchSharp.torch;

namespace Text2Lora.Tests.Lora;

/// <summary>Runtime LoRA (one adapter, per-sequence adapters, autograd, merge/unmerge) against PEFT fixtures.</summary>
[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class RuntimeLoraTests
{
    // Fixtures/README.md: adapter vs merged spread ≤ 2.2e-6 in the reference, adapter effect up to 2.45; atol 1e-4.
    private const double Tolerance = 1e-4;

    public static TheoryData<string, string> Cases => new()
    {
        { "llama", "lora_qv" }, { "llama", "lora_all" },
        { "llama32_tied", "lora_qv" }, { "llama32_tied", "lora_all" },
        { "mistral", "lora_qv" }, { "mistral", "lora_all" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Adapter_logits_merged_logits_and_greedy_ids_match_peft(string fixture, string adapterName)
    {
        using var model = LlamaFamilyModel.Load(FixturePaths.Get(fixture, "model"));
        using var adapter = PeftAdapterFolder.Load(FixturePaths.Get(fixture, adapterName));
        using var inputs = SafetensorsFile.Open(FixturePaths.Get(fixture, "expected.safetensors"));
        using var expected = SafetensorsFile.Open(FixturePaths.Get(fixture, adapterName, "expected.safetensors"));
        using var ids = inputs.ReadTensor("input_ids");
        using var mask = inputs.ReadTensor("attention_mask");

        using (var active = model.PrepareAdapter(adapter))
        {
            using var output = model.Forward(new ModelForwardInput(ids) { AttentionMask = mask, Adapters = active });
            using var logits = expected.ReadTensor("logits");
            LlamaFamilyParityTests.AssertValidClose(logits, output.Logits!, mask, Tolerance);

            using var generated = model.Generate(GreedyGenerationTests.Prompts(inputs, "gen.single.input_ids", null),
                new GenerationOptions { MaxNewTokens = 8, ReturnStepLogits = true }, active);
            using var outputIds = expected.ReadTensor("gen.single.output_ids");
            Assert.Equal(outputIds.data<long>().Skip(12).Select(x => (int)x).ToArray(), generated.Sequences[0].TokenIds);
            using var stepLogits = expected.ReadTensor("gen.single.step_logits");
            TensorAssert.Close(stepLogits, generated.StepLogits!, Tolerance);
        }

        model.MergeAdapter(adapter);
        using (var merged = model.Forward(new ModelForwardInput(ids) { AttentionMask = mask }))
        {
            using var mergedLogits = expected.ReadTensor("merged_logits");
            LlamaFamilyParityTests.AssertValidClose(mergedLogits, merged.Logits!, mask, Tolerance);
        }

        model.UnmergeAdapter();
        using var baseOutput = model.Forward(new ModelForwardInput(ids) { AttentionMask = mask });
        using var baseLogits = inputs.ReadTensor("logits");
        LlamaFamilyParityTests.AssertValidClose(baseLogits, baseOutput.Logits!, mask, Tolerance);
    }

    [Fact]
    public void Merge_then_unmerge_restores_every_weight()
    {
        using var model = LlamaFamilyModel.Load(FixturePaths.Get("llama", "model"));
        using var adapter = PeftAdapterFolder.Load(FixturePaths.Get("llama", "lora_all"));
        var before = model.ParameterShapes().Select(p => p.Key).ToDictionary(k => k, k => Snapshot(model, k));

        model.MergeAdapter(adapter);
        using (var changed = Snapshot(model, "model.layers.1.mlp.down_proj.weight"))
        {
            using var delta = (changed - before["model.layers.1.mlp.down_proj.weight"]).abs().max();
            Assert.True(delta.item<float>() > 1e-3, "merging must change the adapted weights");
        }

        model.UnmergeAdapter();
        foreach (var (key, value) in before)
        {
            using var after = Snapshot(model, key);

            // float32 add then subtract of a delta of magnitude ~0.1 leaves at most a few ulps (~1e-7 at |w| ≈ 0.3).
            TensorAssert.Close(value, after, 1e-6);
            value.Dispose();
        }

        Assert.Null(model.MergedAdapter);
    }

    [Fact]
    public void Per_sequence_adapters_equal_running_each_sequence_alone()
    {
        using var model = LlamaFamilyModel.Load(FixturePaths.Get("llama", "model"));
        using var qv = PeftAdapterFolder.Load(FixturePaths.Get("llama", "lora_qv"));
        using var all = PeftAdapterFolder.Load(FixturePaths.Get("llama", "lora_all"));
        using var inputs = SafetensorsFile.Open(FixturePaths.Get("llama", "expected.safetensors"));
        using var ids = inputs.ReadTensor("input_ids");
        using var mask = inputs.ReadTensor("attention_mask");

        // Three rows: row 0 with lora_all, row 1 (left-padded) with lora_qv, row 2 (row 0 again) without adapter.
        using var batchIds = cat([ids, ids.narrow(0, 0, 1)], 0);
        using var batchMask = cat([mask, mask.narrow(0, 0, 1)], 0);
        using var perSequence = model.PrepareAdapters([all, qv, null]);
        using var batched = model.Forward(new ModelForwardInput(batchIds) { AttentionMask = batchMask, Adapters = perSequence });

        LoraAdapter?[] chosen = [all, qv, null];
        for (var row = 0; row < 3; row++)
        {
            using var rowIds = batchIds.narrow(0, row, 1);
            using var rowMask = batchMask.narrow(0, row, 1);
            using var single = chosen[row] is { } a ? model.PrepareAdapter(a) : null;
            using var alone = model.Forward(new ModelForwardInput(rowIds) { AttentionMask = rowMask, Adapters = single });
            using var batchedRow = batched.Logits!.narrow(0, row, 1);

            // Same math per row; only batched-matmul blocking differs (float32 rounding, ~1e-6).
            LlamaFamilyParityTests.AssertValidClose(alone.Logits!, batchedRow, rowMask, 1e-5);
        }

        // And the batched rows match the PEFT references of their adapters.
        using var allExpected = SafetensorsFile.Open(FixturePaths.Get("llama", "lora_all", "expected.safetensors"));
        using var qvExpected = SafetensorsFile.Open(FixturePaths.Get("llama", "lora_qv", "expected.safetensors"));
        using var allLogits = allExpected.ReadTensor("logits");
        using var qvLogits = qvExpected.ReadTensor("logits");
        LlamaFamilyParityTests.AssertValidClose(allLogits.narrow(0, 0, 1), batched.Logits!.narrow(0, 0, 1), mask.narrow(0, 0, 1), Tolerance);
        LlamaFamilyParityTests.AssertValidClose(qvLogits.narrow(0, 1, 1), batched.Logits!.narrow(0, 1, 1), mask.narrow(0, 1, 1), Tolerance);
    }

    [Fact]
    public void Per_sequence_generation_equals_generating_each_prompt_alone()
    {
        using var model = LlamaFamilyModel.Load(FixturePaths.Get("llama", "model"));
        using var qv = PeftAdapterFolder.Load(FixturePaths.Get("llama", "lora_qv"));
        using var all = PeftAdapterFolder.Load(FixturePaths.Get("llama", "lora_all"));
        using var inputs = SafetensorsFile.Open(FixturePaths.Get("llama", "expected.safetensors"));
        var prompts = GreedyGenerationTests.Prompts(inputs, "input_ids", "attention_mask");
        var options = new GenerationOptions { MaxNewTokens = 8 };

        using var perSequence = model.PrepareAdapters([qv, all]);
        using var batched = model.Generate(prompts, options, perSequence);

        using var aloneQv = model.PrepareAdapter(qv);
        using var aloneAll = model.PrepareAdapter(all);
        using var first = model.Generate([prompts[0]], options, aloneQv);
        using var second = model.Generate([prompts[1]], options, aloneAll);
        Assert.Equal(first.Sequences[0].TokenIds, batched.Sequences[0].TokenIds);
        Assert.Equal(second.Sequences[0].TokenIds, batched.Sequences[1].TokenIds);
    }

    [Fact]
    public void Gradients_reach_the_tensors_adapters_were_made_from()
    {
        using var model = LlamaFamilyModel.Load(FixturePaths.Get("llama", "model"));
        using var source = PeftAdapterFolder.Load(FixturePaths.Get("llama", "lora_qv"));
        using var inputs = SafetensorsFile.Open(FixturePaths.Get("llama", "expected.safetensors"));
        using var ids = inputs.ReadTensor("input_ids");
        using var mask = inputs.ReadTensor("attention_mask");

        // A stand-in for a hypernetwork output: one leaf scale per sequence multiplies every B factor.
        using var scales = ones(2, requires_grad: true);
        var adapters = new List<LoraAdapter>();
        for (var row = 0; row < 2; row++)
        {
            var modules = source.Modules.Select(kv => KeyValuePair.Create(kv.Key, new LoraWeights(kv.Value.A.alias(), kv.Value.B.mul(scales[row]), kv.Value.Scaling)));
            adapters.Add(new LoraAdapter(source.Config, modules.ToList()));
        }

        using var labels = ids.masked_fill(mask.eq(0), -100);
        using (var active = model.PrepareAdapters(adapters))
        using (var output = model.Forward(new ModelForwardInput(ids) { AttentionMask = mask, Labels = labels, Adapters = active, ComputeLogits = false }))
        {
            Assert.Null(output.Logits);
            output.Loss!.backward();
        }

        using var grad = scales.grad!;
        var g = grad.data<float>().ToArray();
        Assert.All(g, v => Assert.True(float.IsFinite(v) && Math.Abs(v) > 1e-6, $"gradient {v} should be finite and non-zero"));
        adapters.ForEach(a => a.Dispose());
    }

    private static Tensor Snapshot(LlamaFamilyModel model, string key) =>
        model.NamedParameter(key).detach().clone();
}
