using Text2Lora.IO;

namespace Text2Lora.Models.Llama;

/// <summary>
/// A base-model checkpoint folder is unusable: bad or unsupported <c>config.json</c>, or weights that do not
/// match the architecture. Names the file and, where known, the config field or tensor key.
/// </summary>
public sealed class ModelFormatException : InvalidFileFormatException
{
    /// <summary>Creates the exception.</summary>
    public ModelFormatException(string path, string? key, string problem, Exception? innerException = null)
        : base(path, key, null, $"Invalid model '{path}'{(key is null ? "" : $" ('{key}')")}: {problem}", innerException)
    {
    }

    /// <summary>The offending config field or tensor key, if any (same as <see cref="InvalidFileFormatException.Field"/>).</summary>
    public string? Key => Field;
}
