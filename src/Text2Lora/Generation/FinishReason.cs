namespace Text2Lora.Generation;

/// <summary>Why a sequence stopped generating.</summary>
public enum FinishReason
{
    /// <summary>It produced an end-of-sequence token (included in its output).</summary>
    EndOfSequence,

    /// <summary>Its output ended with one of the stop sequences (included in its output).</summary>
    StopSequence,

    /// <summary>It reached the maximum number of new tokens.</summary>
    Length,
}
