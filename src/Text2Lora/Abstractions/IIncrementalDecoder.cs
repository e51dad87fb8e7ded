using Text2Lora.Lora;
using static TorchSharp.torch;

namespace Text2Lora.Abstractions;

/// <summary>What the generation loop needs from a model: a cache and a cached forward step.</summary>
internal interface IIncrementalDecoder
{
    Device Device { get; }

    /// <summary>A cache with room for <paramref name="capacity"/> positions of <paramref name="batch"/> sequences.</summary>
    KvCache CreateCache(long batch, long capacity);

    /// <summary>
    /// Appends <paramref name="inputIds"/> [N, T] to <paramref name="cache"/> and returns the float32 logits [N, vocab] of the
    /// last position. <paramref name="attentionMask"/> [N, cache + T] covers every position so far.
    /// </summary>
    Tensor Step(Tensor inputIds, Tensor attentionMask, Tensor positionIds, KvCache cache, ActiveAdapters? adapters);
}
