namespace Text2Lora.IO;

/// <summary>
/// An output folder cannot be used as asked: it holds a previous run that would be overwritten, names an existing
/// file, or is not writable. Raised before any long work starts; names the folder and the way out.
/// </summary>
public sealed class OutputFolderException : IOException
{
    /// <summary>Creates the exception.</summary>
    public OutputFolderException(string path, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        FilePath = path;
    }

    /// <summary>The output folder.</summary>
    public string FilePath { get; }
}
