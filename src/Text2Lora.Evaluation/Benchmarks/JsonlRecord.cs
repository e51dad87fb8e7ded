using System.Text.Json;

namespace Text2Lora.Evaluation.Benchmarks;

/// <summary>
/// One JSON object of a JSONL file with typed, checked field access: every failure is a
/// <see cref="BenchmarkFormatException"/> naming the file, the line and the (dotted) field.
/// </summary>
/// <param name="Path">The file.</param>
/// <param name="LineNumber">1-based line number in the file.</param>
/// <param name="Position">0-based index among the file's records (blank lines skipped).</param>
/// <param name="Root">The parsed object.</param>
public sealed record JsonlRecord(string Path, int LineNumber, int Position, JsonElement Root)
{
    /// <summary>A required string field.</summary>
    public string String(string field)
    {
        var value = Required(field);
        return value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw Error(field, $"expected a string, found {Describe(value)}.");
    }

    /// <summary>An optional string field (null when absent or JSON null).</summary>
    public string? OptionalString(string field)
    {
        var value = Find(field);
        if (value is null || value.Value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.Value.ValueKind == JsonValueKind.String
            ? value.Value.GetString()
            : throw Error(field, $"expected a string, found {Describe(value.Value)}.");
    }

    /// <summary>A required integer field (a JSON number without fraction that fits 32 bits).</summary>
    public int Int32(string field)
    {
        var value = Required(field);
        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : throw Error(field, $"expected an integer, found {Describe(value)}.");
    }

    /// <summary>A required boolean field.</summary>
    public bool Boolean(string field)
    {
        var value = Required(field);
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error(field, $"expected true or false, found {Describe(value)}."),
        };
    }

    /// <summary>A required array of strings.</summary>
    public IReadOnlyList<string> StringArray(string field) => StringArrayOf(field, Required(field));

    /// <summary>An optional array of strings (null when absent or JSON null).</summary>
    public IReadOnlyList<string>? OptionalStringArray(string field)
    {
        var value = Find(field);
        return value is null || value.Value.ValueKind == JsonValueKind.Null ? null : StringArrayOf(field, value.Value);
    }

    /// <summary>An exception about <paramref name="field"/> of this record.</summary>
    public BenchmarkFormatException Error(string field, string problem) => new(Path, LineNumber, field, problem);

    private IReadOnlyList<string> StringArrayOf(string field, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Error(field, $"expected an array of strings, found {Describe(value)}.");
        }

        var items = new List<string>(value.GetArrayLength());
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                throw Error($"{field}[{index}]", $"expected a string, found {Describe(item)}.");
            }

            items.Add(item.GetString()!);
            index++;
        }

        return items;
    }

    private JsonElement Required(string field) => Find(field) ?? throw Error(field, "is missing.");

    private JsonElement? Find(string field)
    {
        var current = Root;
        foreach (var part in field.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out var next))
            {
                return null;
            }

            current = next;
        }

        return current;
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{Truncate(value.GetString()!)}\"",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"the boolean {value.GetRawText()}",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => value.ValueKind.ToString(),
    };

    private static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
