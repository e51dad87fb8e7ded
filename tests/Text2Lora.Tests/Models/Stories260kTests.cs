using Text2Lora.Abstractions;
using Text2Lora.IO.Safetensors;
using Text2Lora.Models.Llama;
using Text2Lora.Tests.Infrastructure;

namespace Text2Lora.Tests.Models;

/// <summary>Real pretrained weights (stories260K, MIT): logits and hidden states against transformers.</summary>
[Trait(TestCategory.Key, TestCategory.Parity)]
public sealed class Stories260kTests
{
    // stories260k/README.md: logits up to 22, float32 rounding ~1e-5 ⇒ atol 2e-4 on logits, 1e-4 on hidden states.
    private const double LogitTolerance = 2e-4;
    private const double HiddenTolerance = 1e-4;

    [Fact]
    public void Batch_logits_and_hidden_states_match()
    {
        using var model = LlamaFamilyModel.Load(FixturePaths.Get("stories260k", "model"));
        using var expected = SafetensorsFile.Open(FixturePaths.Get("stories260k", "expected.safetensors"));
        using var ids = expected.ReadTensor("input_ids");
        using var mask = expected.ReadTensor("attention_mask");

        using var output = model.Forward(new ModelForwardInput(ids) { AttentionMask = mask, OutputHiddenStates = true });

        using var logits = expected.ReadTensor("logits");
        LlamaFamilyParityTests.AssertValidClose(logits, output.Logits!, mask, LogitTolerance);
        Assert.Equal(6, output.HiddenStates!.Count);
        for (var i = 0; i < 6; i++)
        {
            using var hidden = expected.ReadTensor($"hidden_states.{i}");
            LlamaFamilyParityTests.AssertValidClose(hidden, output.HiddenStates[i], mask, HiddenTolerance);
        }
    }

    [Fact]
    public void Sample_logits_without_cache_match()
    {
        using var model = LlamaFamilyModel.Load(FixturePaths.Get("stories260k", "model"));
        using var expected = SafetensorsFile.Open(FixturePaths.Get("stories260k", "expected.safetensors"));
        using var sample = expected.ReadTensor("sample.output_ids");
        using var ids = sample.narrow(1, 0, 256);

        using var output = model.Forward(new ModelForwardInput(ids));

        using var logits = expected.ReadTensor("sample.logits");
        TensorAssert.Close(logits, output.Logits!, LogitTolerance);
    }
}
