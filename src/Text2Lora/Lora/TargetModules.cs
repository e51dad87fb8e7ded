using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Text2Lora.Lora;

/// <summary>
/// PEFT's <c>target_modules</c>: either a list of module names (a module matches when its path equals a name
/// or ends with <c>"." + name</c>) or a single regular expression (matched against the whole module path).
/// </summary>
[JsonConverter(typeof(TargetModulesJsonConverter))]
public sealed class TargetModules : IEquatable<TargetModules>
{
    private TargetModules(IReadOnlyList<string>? names, string? pattern)
    {
        Names = names;
        Pattern = pattern;
    }

    /// <summary>Module names, in the order the config lists them (null when a regex is used).</summary>
    public IReadOnlyList<string>? Names { get; }

    /// <summary>The regular expression (null when names are listed).</summary>
    public string? Pattern { get; }

    /// <summary>A list of module names, e.g. <c>["q_proj", "v_proj"]</c>.</summary>
    public static TargetModules FromNames(IEnumerable<string> names) => new(names.ToArray(), null);

    /// <summary>A regular expression matched against full module paths.</summary>
    public static TargetModules FromPattern(string pattern) => new(null, pattern);

    /// <summary>Whether the module at <paramref name="modulePath"/> (e.g. <c>model.layers.0.self_attn.q_proj</c>) is targeted.</summary>
    public bool Matches(string modulePath)
    {
        if (Pattern is not null)
        {
            return Regex.IsMatch(modulePath, $"^(?:{Pattern})$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }

        return Names!.Any(name => modulePath == name || modulePath.EndsWith("." + name, StringComparison.Ordinal));
    }

    /// <inheritdoc />
    public bool Equals(TargetModules? other) =>
        other is not null && Pattern == other.Pattern &&
        (Names is null ? other.Names is null : other.Names is not null && Names.SequenceEqual(other.Names));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as TargetModules);

    /// <inheritdoc />
    public override int GetHashCode() => Pattern?.GetHashCode(StringComparison.Ordinal) ?? Names!.Count;

    /// <inheritdoc />
    public override string ToString() => Pattern ?? "[" + string.Join(", ", Names!) + "]";
}

internal sealed class TargetModulesJsonConverter : JsonConverter<TargetModules>
{
    public override TargetModules? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                return TargetModules.FromPattern(reader.GetString()!);
            case JsonTokenType.StartArray:
                var names = new List<string>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        throw new JsonException("'target_modules' must be a string or a list of strings.");
                    }

                    names.Add(reader.GetString()!);
                }

                return TargetModules.FromNames(names);
            default:
                throw new JsonException("'target_modules' must be a string or a list of strings.");
        }
    }

    public override void Write(Utf8JsonWriter writer, TargetModules value, JsonSerializerOptions options)
    {
        if (value.Pattern is not null)
        {
            writer.WriteStringValue(value.Pattern);
            return;
        }

        writer.WriteStartArray();
        foreach (var name in value.Names!)
        {
            writer.WriteStringValue(name);
        }

        writer.WriteEndArray();
    }
}
