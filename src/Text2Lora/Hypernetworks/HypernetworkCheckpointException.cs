using Text2Lora.IO;

namespace Text2Lora.Hypernetworks;

/// <summary>A hypernetwork checkpoint is malformed or does not fit; names the file and, where known, the key or field.</summary>
public sealed class HypernetworkCheckpointException : InvalidFileFormatException
{
    /// <summary>Creates the exception.</summary>
    public HypernetworkCheckpointException(string path, string? key, string problem, Exception? innerException = null)
        : base(path, key, null, $"Invalid hypernetwork checkpoint '{path}'{(key is null ? "" : $" ('{key}')")}: {problem}", innerException)
    {
    }

    /// <summary>The offending state-dict key or config field, if any (same as <see cref="InvalidFileFormatException.Field"/>).</summary>
    public string? Key => Field;
}
