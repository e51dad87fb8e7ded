using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Text2Lora.IO;

namespace Text2Lora.Models.Llama;

/// <summary>Typed access to the fields of a parsed <c>config.json</c>; every failure names the file and field.</summary>
internal sealed class ConfigJson(JsonObject root, string source)
{
    public string Source { get; } = source;

    public static ConfigJson Parse(string json, string source)
    {
        JsonNode? node;
        try
        {
            node = StrictJson.ParseNode(json);
        }
        catch (JsonException ex)
        {
            throw new ModelFormatException(source, null, $"invalid JSON: {ex.Message}", ex);
        }

        return node is JsonObject obj
            ? new ConfigJson(obj, source)
            : throw new ModelFormatException(source, null, "config.json must hold a JSON object.");
    }

    public bool Has(string key) => root.TryGetPropertyValue(key, out var value) && value is not null;

    public JsonObject? Object(string key) => root.TryGetPropertyValue(key, out var value) && value is not null
        ? value as JsonObject ?? throw Error(key, "must be an object or null")
        : null;

    public string? String(string key) => Get(key, static e => e.ValueKind == JsonValueKind.String ? e.GetString() : null, "a string");

    public int? Int(string key) => Get<int?>(key, static e => e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var v) ? v : null, "an integer");

    public double? Double(string key) => Get<double?>(key, static e => e.ValueKind == JsonValueKind.Number ? e.GetDouble() : null, "a number");

    public bool? Bool(string key) => Get<bool?>(key, static e => e.ValueKind is JsonValueKind.True or JsonValueKind.False ? e.GetBoolean() : null, "true or false");

    /// <summary>An optional number that, when present, must be finite and in (0, <paramref name="max"/>].</summary>
    public double? PositiveFinite(string key, double max) =>
        Double(key) is not { } value ? null
        : value > 0 && value <= max ? value
        : throw Error(key, $"must be a positive number no larger than {max.ToString(CultureInfo.InvariantCulture)}, got {value.ToString(CultureInfo.InvariantCulture)}");

    public int RequiredPositiveInt(string key) =>
        Int(key) is { } v ? (v > 0 ? v : throw Error(key, $"must be positive, got {v}")) : throw Error(key, "is required");

    public IReadOnlyList<int> IntOrIntList(string key)
    {
        if (!root.TryGetPropertyValue(key, out var node) || node is null)
        {
            return [];
        }

        if (node is JsonArray array)
        {
            return array.Select((n, i) => n is JsonValue v && v.TryGetValue<int>(out var x) ? x : throw Error($"{key}[{i}]", "must be an integer")).ToArray();
        }

        return Int(key) is { } single ? [single] : [];
    }

    public ModelFormatException Error(string key, string problem) =>
        new(Source, key, $"'{key}' {problem}.");

    private T? Get<T>(string key, Func<JsonElement, T?> read, string expected)
    {
        if (!root.TryGetPropertyValue(key, out var node) || node is null)
        {
            return default;
        }

        var element = JsonSerializer.SerializeToElement(node);
        return read(element) is { } value
            ? value
            : throw Error(key, $"must be {expected}, got {element.GetRawText().ToString(CultureInfo.InvariantCulture)}");
    }
}
