using Text2Lora.IO;

namespace Text2Lora.Training.Configuration;

/// <summary>A trainer config file is invalid; names the file and the offending field.</summary>
public sealed class TrainerConfigException : InvalidFileFormatException
{
    /// <summary>Creates the exception.</summary>
    public TrainerConfigException(string path, string? field, string problem, Exception? innerException = null)
        : base(path, field, null, $"Invalid trainer config '{path}'{(field is null ? "" : $" (field '{field}')")}: {problem}", innerException)
    {
    }
}
