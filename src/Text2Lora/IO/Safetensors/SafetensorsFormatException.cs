using Text2Lora.IO;

namespace Text2Lora.IO.Safetensors;

/// <summary>A safetensors file (or sharded checkpoint index) is malformed; the message names the file and the problem.</summary>
public sealed class SafetensorsFormatException : InvalidFileFormatException
{
    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    public SafetensorsFormatException(string path, string problem, Exception? innerException = null)
        : base(path, $"Invalid safetensors file '{path}': {problem}", innerException)
    {
        Problem = problem;
    }

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; }
}
