namespace Text2Lora.Encoders;

/// <summary>A checkpoint, option or config names a description encoder that Text2Lora cannot compute.</summary>
public sealed class UnsupportedTaskEncoderException : Exception
{
    /// <summary>Creates the exception for <paramref name="value"/>; the message lists the supported encoders.</summary>
    public UnsupportedTaskEncoderException(string value, string? source = null)
        : base($"Unsupported task encoder '{value}'{(source is null ? "" : $" (from {source})")}. Supported: {TaskEncoderSelection.SupportedDescription}.")
    {
        Value = value;
        Source = source;
    }

    /// <summary>The encoder name that was not recognised.</summary>
    public string Value { get; }

    /// <summary>Where the name came from (a file and field, an option), if known.</summary>
    public new string? Source { get; }
}
