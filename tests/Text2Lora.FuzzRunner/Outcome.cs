namespace Text2Lora.FuzzRunner;

/// <summary>How one fuzz case ended.</summary>
internal enum Outcome
{
    /// <summary>A typed bad-input exception (<c>InvalidFileFormatException</c> family, unsupported adapter, missing file).</summary>
    Typed,

    /// <summary>Accepted, and the result passed the format's self-consistency check.</summary>
    Accepted,

    /// <summary>Accepted, but the result contradicts itself.</summary>
    Inconsistent,

    /// <summary>Any other exception, or the worker process died.</summary>
    Untyped,

    /// <summary>No answer within the time limit.</summary>
    Hang,

    /// <summary>The worker exceeded the RSS limit, or an <see cref="OutOfMemoryException"/>.</summary>
    OverMemory,
}
