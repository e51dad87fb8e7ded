using Text2Lora.Lora;
using static TorchSharp.torch;

namespace Text2Lora.Abstractions;

/// <summary>What the generation loop needs from a model: a cache and a cached forward step.</summary>
internal interface IIncrementalDecoder
{
    Device Device { get; }

    /// <summary>
    /// Marks a whole generation as one call on the model: disposing the model waits for it to end, and a disposed model
    /// throws <see cref="ObjectDisposedException"/> here. Dispose the result when the generation ends.
    /// </summary>
    IDisposable EnterCall();

    /// <summary>The most positions (prompt and generated tokens) a sequence may have: the model's context.</summary>
    int ContextLength { get; }

    /// <summary>
    /// A cache with room for <paramref name="capacity"/> positions of <paramref name="batch"/> sequences now; it grows on
    /// demand up to <see cref="ContextLength"/>.
    /// </summary>
    KvCache CreateCache(long batch, long capacity);

    /// <summary>
    /// Appends <paramref name="inputIds"/> [N, T] to <paramref name="cache"/> and returns the float32 logits [N, vocab] of the
    /// last position. <paramref name="attentionMask"/> [N, cache + T] covers every position so far.
    /// </summary>
    Tensor Step(Tensor inputIds, Tensor attentionMask, Tensor positionIds, KvCache cache, ActiveAdapters? adapters);
}
