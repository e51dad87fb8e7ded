using Text2Lora.IO;

namespace Text2Lora.Training.Configuration;

/// <summary>A trainer config file is invalid; names the file and the offending field.</summary>
public sealed class TrainerConfigException : InvalidFileFormatException
{
    /// <summary>Creates the exception.</summary>
    public TrainerConfigException(string path, string? field, string problem, Exception? innerException = null)
        : base(path, $"Invalid trainer config '{path}'{(field is null ? "" : $" (field '{field}')")}: {problem}", innerException)
    {
        Field = field;
    }

    /// <summary>The offending field as a JSON path (e.g. <c>loop.maxSteps</c>), when known.</summary>
    public string? Field { get; }
}
