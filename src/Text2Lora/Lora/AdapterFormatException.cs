using Text2Lora.IO;

namespace Text2Lora.Lora;

/// <summary>An adapter folder or file is malformed; names the file and, where known, the field or tensor key.</summary>
public sealed class AdapterFormatException : InvalidFileFormatException
{
    /// <summary>Creates the exception.</summary>
    public AdapterFormatException(string path, string? key, string problem, Exception? innerException = null)
        : base(path, key, null, $"Invalid adapter '{path}'{(key is null ? "" : $" ('{key}')")}: {problem}", innerException)
    {
    }

    /// <summary>The offending config field or tensor key, if any (same as <see cref="InvalidFileFormatException.Field"/>).</summary>
    public string? Key => Field;
}

/// <summary>An adapter uses a PEFT feature Text2Lora does not implement (e.g. DoRA).</summary>
public sealed class UnsupportedAdapterException : NotSupportedException
{
    /// <summary>Creates the exception.</summary>
    public UnsupportedAdapterException(string path, string field, string problem)
        : base($"Unsupported adapter '{path}' ('{field}'): {problem}")
    {
        FilePath = path;
        Field = field;
    }

    /// <summary>The adapter file.</summary>
    public string FilePath { get; }

    /// <summary>The config field that switches the unsupported feature on.</summary>
    public string Field { get; }
}
