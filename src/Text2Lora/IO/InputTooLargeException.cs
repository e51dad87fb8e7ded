namespace Text2Lora.IO;

/// <summary>
/// Sizes read from a file (dimensions, layer count, vocabulary, rank, tensor shapes) imply more memory than
/// <see cref="InputLimits.MaxMemoryBytes"/> allows; raised before anything is allocated. Names the file and the field.
/// </summary>
public sealed class InputTooLargeException : InvalidFileFormatException
{
    /// <summary>Creates the exception.</summary>
    public InputTooLargeException(string path, string? field, double requiredBytes, long limitBytes, string what)
        : base(path, field, null,
            $"'{path}'{(field is null ? "" : $" ('{field}')")}: {what} would need about {InputLimits.FormatBytes(requiredBytes)}, " +
            $"more than the limit of {InputLimits.FormatBytes(limitBytes)} (raise it with {InputLimits.EnvironmentVariable} or InputLimits.MaxMemoryBytes if this is intended).",
            null)
    {
        RequiredBytes = requiredBytes;
        LimitBytes = limitBytes;
    }

    /// <summary>The estimated bytes the file's sizes imply.</summary>
    public double RequiredBytes { get; }

    /// <summary>The limit in force.</summary>
    public long LimitBytes { get; }
}
