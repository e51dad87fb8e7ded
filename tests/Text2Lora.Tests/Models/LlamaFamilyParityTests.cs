using Text2Lora.TextGeneration;
using Text2Lora.Abstractions;
using Text2Lora.IO.Safetensors;
using Text2Lora.Models.Llama;
using Text2Lora.Tests.Infrastructure;
using static TorchSharp.torch;

namespace Text2Lora.Tests.Models;

/// <summary>Forward parity with transformers 4.46 on the random-init fixtures (Fixtures/README.md).</summary>
[Trait(TestCategory.Key, TestCategory.Parity)]
public sealed class LlamaFamilyParityTests
{
    // README: "Suggested acceptance for a float32 port: atol 1e-4 on logits / hidden states of valid positions";
    // the reference's own eager-vs-sdpa spread is 1.3e-6, logits are O(1).
    private const double Tolerance = 1e-4;

    public static TheoryData<string> Fixtures => new() { "llama", "llama32_tied", "mistral" };

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Logits_and_hidden_states_match_transformers_on_valid_positions(string fixture)
    {
        using var model = LlamaFamilyModel.Load(FixturePaths.Get(fixture, "model"));
        using var expected = SafetensorsFile.Open(FixturePaths.Get(fixture, "expected.safetensors"));
        using var ids = expected.ReadTensor("input_ids");
        using var mask = expected.ReadTensor("attention_mask");

        using var output = model.Forward(new ModelForwardInput(ids) { AttentionMask = mask, OutputHiddenStates = true });

        using var expectedLogits = expected.ReadTensor("logits");
        AssertValidClose(expectedLogits, output.Logits!, mask, Tolerance);
        Assert.Equal(3, output.HiddenStates!.Count);
        for (var i = 0; i < 3; i++)
        {
            using var hidden = expected.ReadTensor($"hidden_states.{i}");
            AssertValidClose(hidden, output.HiddenStates[i], mask, Tolerance);
        }
    }

    [Fact]
    public void Position_ids_follow_the_generate_rule()
    {
        using var expected = SafetensorsFile.Open(FixturePaths.Get("llama", "expected.safetensors"));
        using var mask = expected.ReadTensor("attention_mask");
        using var positions = expected.ReadTensor("position_ids");
        using var derived = Text2Lora.Abstractions.AttentionMaskPositions.PositionIds(mask);
        TensorAssert.BitEqual(positions, derived);
    }

    /// <summary>Compares [N, T, ...] tensors only where the attention mask is 1 (README: padded rows are meaningless).</summary>
    internal static void AssertValidClose(Tensor expected, Tensor actual, Tensor mask, double atol)
    {
        using var valid = mask.to_type(ScalarType.Bool);
        using var e = expected[valid];
        using var a = actual.to_type(ScalarType.Float32)[valid];
        Assert.True(e.shape[0] > 0);
        TensorAssert.Close(e, a, atol);
    }
}
