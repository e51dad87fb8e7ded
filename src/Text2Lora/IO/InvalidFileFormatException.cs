namespace Text2Lora.IO;

/// <summary>
/// Base of every exception Text2Lora throws for bad input read from disk: a malformed or unsupported file
/// (safetensors, PEFT adapter, base-model config, tokenizer, <c>torch.save</c> checkpoint or pickle, hypernetwork,
/// task data, trainer config, benchmark file) or sizes in a file that would need more memory than the configured
/// limit (<see cref="InputTooLargeException"/>). Always names the file (<see cref="FilePath"/>) and, where the
/// problem is tied to one, the key or field (<see cref="Field"/>) and the byte offset or line (<see cref="Offset"/>).
/// Catch this type to tell bad input from bugs; the CLI maps it to exit code 3.
/// </summary>
public abstract class InvalidFileFormatException : IOException
{
    /// <summary>Creates the exception.</summary>
    protected InvalidFileFormatException(string path, string message, Exception? innerException)
        : this(path, null, null, message, innerException)
    {
    }

    /// <summary>Creates the exception with the offending field and offset.</summary>
    protected InvalidFileFormatException(string path, string? field, long? offset, string message, Exception? innerException)
        : base(message, innerException)
    {
        FilePath = path;
        Field = field;
        Offset = offset;
    }

    /// <summary>The offending file or folder.</summary>
    public string FilePath { get; }

    /// <summary>
    /// The offending key or field when the problem is tied to one: a JSON/YAML field (dotted for nested ones,
    /// e.g. <c>rope_scaling.factor</c>), a tensor or state-dict key, a pickle global; null otherwise.
    /// </summary>
    public string? Field { get; }

    /// <summary>Where in the file: a byte offset for binary files, a 1-based line for line-oriented text; null when unknown.</summary>
    public long? Offset { get; }
}
