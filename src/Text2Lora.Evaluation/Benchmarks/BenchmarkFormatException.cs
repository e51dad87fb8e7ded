using Text2Lora.IO;

namespace Text2Lora.Evaluation.Benchmarks;

/// <summary>A benchmark or task file that does not have the expected format; names the file, line and field.</summary>
public sealed class BenchmarkFormatException : InvalidFileFormatException
{
    /// <summary>Creates the exception; the message reads "<c>path, line N, field 'f': problem</c>".</summary>
    public BenchmarkFormatException(string path, int? lineNumber, string? field, string problem, Exception? innerException = null)
        : base(path, field, lineNumber, Describe(path, lineNumber, field, problem), innerException)
    {
        LineNumber = lineNumber;
    }

    /// <summary>1-based line of the problem, when it is tied to one.</summary>
    public int? LineNumber { get; }

    private static string Describe(string path, int? lineNumber, string? field, string problem)
    {
        var where = path;
        if (lineNumber is { } line)
        {
            where += $", line {line}";
        }

        if (field is not null)
        {
            where += $", field '{field}'";
        }

        return $"{where}: {problem}";
    }
}
