using Text2Lora.IO;

namespace Text2Lora.Tasks;

/// <summary>A task folder or one of its files is missing or malformed; names the file and, for JSONL, the line.</summary>
public sealed class TaskDataFormatException : InvalidFileFormatException
{
    /// <summary>Creates the exception for <paramref name="path"/>; <paramref name="lineNumber"/> is 1-based.</summary>
    public TaskDataFormatException(string path, string problem, int? lineNumber = null, Exception? innerException = null)
        : base(path, null, lineNumber, lineNumber is int line ? $"Invalid task data '{path}' line {line}: {problem}" : $"Invalid task data '{path}': {problem}", innerException)
    {
        Problem = problem;
        LineNumber = lineNumber;
    }

    /// <summary>What is wrong.</summary>
    public string Problem { get; }

    /// <summary>1-based line of a JSONL file, when the problem is on one line.</summary>
    public int? LineNumber { get; }
}
