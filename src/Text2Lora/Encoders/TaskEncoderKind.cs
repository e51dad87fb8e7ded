namespace Text2Lora.Encoders;

/// <summary>The task encoders Text2Lora can create from options.</summary>
public enum TaskEncoderKind
{
    /// <summary>sentence-transformers/all-MiniLM-L6-v2, embedded in the package (384-d, offline).</summary>
    MiniLm,
}
