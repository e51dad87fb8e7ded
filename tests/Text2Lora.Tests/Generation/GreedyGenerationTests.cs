using Text2Lora.TextGeneration;
using Text2Lora.IO.Safetensors;
using Text2Lora.Models.Llama;
using Text2Lora.Tests.Infrastructure;
using static TorchSharp.torch;

namespace Text2Lora.Tests.Generation;

/// <summary>KV-cache greedy decoding against transformers' generate() on the fixtures.</summary>
[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class GreedyGenerationTests
{
    // Fixtures/README.md: cached vs full recompute differs by 9.5e-7 in the reference; atol 1e-4 on logits.
    private const double RandomModelTolerance = 1e-4;

    // stories260k/README.md: logits up to 22, float32 rounding ~1e-5; suggested atol 2e-4.
    private const double StoriesTolerance = 2e-4;

    public static TheoryData<string> Fixtures => new() { "llama", "llama32_tied", "mistral" };

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Single_prompt_ids_and_step_logits_match(string fixture)
    {
        using var model = LlamaFamilyModel.Load(FixturePaths.Get(fixture, "model"));
        using var expected = SafetensorsFile.Open(FixturePaths.Get(fixture, "expected.safetensors"));
        AssertGeneration(model, expected, "gen.single", Prompts(expected, "gen.single.input_ids", null), 8, RandomModelTolerance);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Left_padded_batch_ids_and_step_logits_match(string fixture)
    {
        using var model = LlamaFamilyModel.Load(FixturePaths.Get(fixture, "model"));
        using var expected = SafetensorsFile.Open(FixturePaths.Get(fixture, "expected.safetensors"));
        AssertGeneration(model, expected, "gen.batch", Prompts(expected, "input_ids", "attention_mask"), 8, RandomModelTolerance);
    }

    [Fact]
    public void Stories260k_prompt_generations_match_single_and_batched()
    {
        using var model = LlamaFamilyModel.Load(FixturePaths.Get("stories260k", "model"));
        using var expected = SafetensorsFile.Open(FixturePaths.Get("stories260k", "expected.safetensors"));
        AssertGeneration(model, expected, "gen.single0", Prompts(expected, "gen.single0.input_ids", null), 32, StoriesTolerance);
        AssertGeneration(model, expected, "gen.single1", Prompts(expected, "gen.single1.input_ids", null), 32, StoriesTolerance);
        AssertGeneration(model, expected, "gen.batch", Prompts(expected, "input_ids", "attention_mask"), 32, StoriesTolerance);
    }

    [Fact]
    public void Stories260k_reproduces_the_published_256_token_sample()
    {
        using var model = LlamaFamilyModel.Load(FixturePaths.Get("stories260k", "model"));
        using var expected = SafetensorsFile.Open(FixturePaths.Get("stories260k", "expected.safetensors"));
        using var output = expected.ReadTensor("sample.output_ids");
        var all = output.data<long>().Select(x => (int)x).ToArray();

        // The model never emits EOS (README), so all 256 steps run.
        using var result = model.Generate([[all[0]]], new GenerationOptions { MaxNewTokens = 256 });

        Assert.Equal(all[1..], result.Sequences[0].TokenIds);
        Assert.Equal(FinishReason.Length, result.Sequences[0].FinishReason);
    }

    private static void AssertGeneration(LlamaFamilyModel model, SafetensorsFile expected, string prefix, int[][] prompts, int newTokens, double atol)
    {
        using var result = model.Generate(prompts, new GenerationOptions { MaxNewTokens = newTokens, ReturnStepLogits = true });
        using var outputIds = expected.ReadTensor(prefix + ".output_ids");
        var width = (int)outputIds.shape[1];
        for (var row = 0; row < prompts.Length; row++)
        {
            using var rowIds = outputIds[row];
            var expectedNew = rowIds.data<long>().Skip(width - newTokens).Select(x => (int)x).ToArray();
            Assert.Equal(expectedNew, result.Sequences[row].TokenIds);
        }

        using var stepLogits = expected.ReadTensor(prefix + ".step_logits");
        TensorAssert.Close(stepLogits, result.StepLogits!, atol);
    }

    /// <summary>Unpadded prompts from an ids tensor (and its mask, when left-padded).</summary>
    internal static int[][] Prompts(SafetensorsFile expected, string idsKey, string? maskKey)
    {
        using var ids = expected.ReadTensor(idsKey);
        using var mask = maskKey is null ? ones_like(ids) : expected.ReadTensor(maskKey);
        var rows = new int[ids.shape[0]][];
        for (var r = 0; r < rows.Length; r++)
        {
            using var idRow = ids[r];
            using var maskRow = mask[r];
            var m = maskRow.data<long>().ToArray();
            rows[r] = idRow.data<long>().Where((_, i) => m[i] == 1).Select(x => (int)x).ToArray();
        }

        return rows;
    }
}
