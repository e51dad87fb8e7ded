using static TorchSharp.torch;

namespace Text2Lora.Models.Llama;

/// <summary>
/// What restricts attention in one forward pass: an additive mask [N, 1, T, S] (0 = attend, dtype minimum = masked)
/// or, when nothing but causality applies, just the causal flag (so the fused kernel needs no mask at all).
/// </summary>
internal sealed record AttentionBias(Tensor? Additive, bool IsCausal) : IDisposable
{
    public static AttentionBias None { get; } = new(null, false);

    public static AttentionBias Causal { get; } = new(null, true);

    /// <summary>
    /// Builds the bias for queries at cache slots <paramref name="pastLength"/>..+T over S = past + T keys:
    /// key j is visible to query i iff j ≤ i, key j is not padding (<paramref name="keyMask"/>[n, j] = 1) and,
    /// with a window w, i − j &lt; w (transformers' sliding-window rule).
    /// </summary>
    public static AttentionBias Build(Tensor? keyMask, bool maskHasPadding, long queryLength, long pastLength, int? window, bool requireExplicit, ScalarType dtype, Device device)
    {
        var keyLength = pastLength + queryLength;
        var windowBites = window is { } w && keyLength > w;
        if (!maskHasPadding && !windowBites && !requireExplicit)
        {
            if (queryLength == 1)
            {
                return None;
            }

            if (pastLength == 0)
            {
                return Causal;
            }
        }

        using var scope = NewDisposeScope();
        var queries = arange(pastLength, keyLength, ScalarType.Int64, device).unsqueeze(1);
        var keys = arange(keyLength, ScalarType.Int64, device).unsqueeze(0);
        var allowed = keys.le(queries);
        if (windowBites)
        {
            allowed = allowed.logical_and(queries.sub(keys).lt(window!.Value));
        }

        allowed = allowed.view(1, 1, queryLength, keyLength);
        if (maskHasPadding && keyMask is not null)
        {
            allowed = allowed.logical_and(keyMask.view(keyMask.shape[0], 1, 1, keyLength).to_type(ScalarType.Bool));
        }

        var additive = zeros(allowed.shape, dtype, device).masked_fill(allowed.logical_not(), MinValue(dtype));
        return new AttentionBias(additive.MoveToOuterDisposeScope(), false);
    }

    /// <summary><c>torch.finfo(dtype).min</c>, the masking value transformers uses.</summary>
    public static double MinValue(ScalarType dtype) => dtype switch
    {
        ScalarType.Float16 => -65504.0,
        ScalarType.BFloat16 => -3.3895313892515355e38,
        ScalarType.Float64 => double.MinValue,
        _ => float.MinValue,
    };

    public void Dispose() => Additive?.Dispose();
}
