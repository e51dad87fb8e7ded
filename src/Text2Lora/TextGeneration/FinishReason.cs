namespace Text2Lora.TextGeneration;

/// <summary>Why a sequence stopped generating.</summary>
public enum FinishReason
{
    /// <summary>It produced an end-of-sequence token (included in its output).</summary>
    EndOfSequence,

    /// <summary>
    /// Its output ended with one of the token-id stop sequences (included in its token ids), or a text stop string or
    /// <see cref="GenerationOptions.StopWhen"/> condition ended it.
    /// </summary>
    StopSequence,

    /// <summary>It reached the maximum number of new tokens.</summary>
    Length,
}
