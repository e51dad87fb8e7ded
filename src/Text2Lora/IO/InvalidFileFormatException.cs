namespace Text2Lora.IO;

/// <summary>Base of the exceptions Text2Lora throws for malformed files; always names the file.</summary>
public abstract class InvalidFileFormatException : IOException
{
    /// <summary>Creates the exception.</summary>
    protected InvalidFileFormatException(string path, string message, Exception? innerException)
        : base(message, innerException)
    {
        FilePath = path;
    }

    /// <summary>The offending file or folder.</summary>
    public string FilePath { get; }
}
