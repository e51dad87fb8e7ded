using static TorchSharp.torch;

namespace Text2Lora.Abstractions;

/// <summary>Position ids of left-padded rows, shared by a model's full forward and the decoding loop.</summary>
internal static class AttentionMaskPositions
{
    /// <summary>transformers' generate() rule: <c>cumsum(mask) − 1</c>, with padding positions set to 1.</summary>
    public static Tensor PositionIds(Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        var mask = attentionMask.to_type(ScalarType.Int64);
        var positions = mask.cumsum(1).sub_(1).masked_fill_(mask.eq(0), 1);
        return positions.MoveToOuterDisposeScope();
    }
}
