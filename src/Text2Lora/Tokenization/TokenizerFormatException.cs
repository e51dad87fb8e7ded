using Text2Lora.IO;

namespace Text2Lora.Tokenization;

/// <summary>
/// A tokenizer file (<c>tokenizer.model</c>, <c>tokenizer.json</c>, <c>tokenizer_config.json</c>,
/// <c>generation_config.json</c>) is missing, malformed or uses a feature Text2Lora does not support;
/// the message names the file and, where there is one, the offending key.
/// </summary>
public sealed class TokenizerFormatException : InvalidFileFormatException
{
    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    public TokenizerFormatException(string path, string problem, Exception? innerException = null)
        : base(path, $"Invalid tokenizer file '{path}': {problem}", innerException)
    {
        Problem = problem;
    }

    /// <summary>What is wrong with the file.</summary>
    public string Problem { get; }
}
