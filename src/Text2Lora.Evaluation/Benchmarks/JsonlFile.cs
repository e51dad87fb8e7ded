using System.Text.Json;

namespace Text2Lora.Evaluation.Benchmarks;

/// <summary>Reads a JSONL file (UTF-8, one JSON object per line; blank lines are skipped).</summary>
public static class JsonlFile
{
    /// <summary>
    /// The file's records in order, at most <paramref name="limit"/> of them (null: all). Lines after the limit are not read.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="BenchmarkFormatException">A line is not a JSON object (names the file and line).</exception>
    public static IEnumerable<JsonlRecord> Read(string path, int? limit = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (limit is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "must be 0 or more.");
        }

        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Benchmark file '{path}' does not exist.", path);
        }

        return ReadExisting(path, limit);
    }

    private static IEnumerable<JsonlRecord> ReadExisting(string path, int? limit)
    {
        var position = 0;
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (limit is { } max && position >= max)
            {
                yield break;
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            JsonElement root;
            try
            {
                using var document = JsonDocument.Parse(line, new JsonDocumentOptions { AllowDuplicateProperties = false });
                root = document.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                throw new BenchmarkFormatException(path, lineNumber, null, $"not valid JSON ({ex.Message}).", ex);
            }

            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new BenchmarkFormatException(path, lineNumber, null, $"expected a JSON object, found {root.ValueKind}.");
            }

            yield return new JsonlRecord(path, lineNumber, position, root);
            position++;
        }
    }
}
