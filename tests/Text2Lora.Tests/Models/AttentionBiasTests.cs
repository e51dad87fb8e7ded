using Text2Lora.Models.Llama;
using static TorchSharp.torch;
using Text2Lora.Tests.Infrastructure;

namespace Text2Lora.Tests.Models;

/// <summary>Causal, padding and sliding-window masking rules (transformers: key j visible to query i iff j ≤ i and i − j &lt; window).</summary>
[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class AttentionBiasTests
{
    [Fact]
    public void Sliding_window_and_padding_mask_exactly_the_expected_keys()
    {
        using var keyMask = tensor(new long[] { 0, 1, 1, 1, 1 }, [1, 5]);
        using var bias = AttentionBias.Build(keyMask, maskHasPadding: true, queryLength: 3, pastLength: 2, window: 2, requireExplicit: false, ScalarType.Float32, CPU);
        var visible = bias.Additive!.data<float>().Select(v => v == 0f).ToArray();

        // Queries sit at cache slots 2, 3, 4; with window 2 each sees itself and the previous slot; slot 0 is padding.
        bool[] expected =
        [
            false, true, true, false, false,
            false, false, true, true, false,
            false, false, false, true, true,
        ];
        Assert.Equal(expected, visible);
        Assert.Equal(float.MinValue, bias.Additive!.min().item<float>());
    }

    [Fact]
    public void Unpadded_inputs_need_no_explicit_mask_for_the_fused_kernel()
    {
        using var prefill = AttentionBias.Build(null, false, 6, 0, null, false, ScalarType.Float32, CPU);
        Assert.True(prefill.IsCausal);
        Assert.Null(prefill.Additive);
        using var decode = AttentionBias.Build(null, false, 1, 9, 64, false, ScalarType.Float32, CPU);
        Assert.False(decode.IsCausal);
        Assert.Null(decode.Additive);

        // Once the window bites, an explicit mask is required even without padding.
        using var beyond = AttentionBias.Build(null, false, 1, 9, 4, false, ScalarType.Float32, CPU);
        Assert.Equal(new[] { false, false, false, false, false, false, true, true, true, true },
            beyond.Additive!.data<float>().Select(v => v == 0f).ToArray());
    }
}
