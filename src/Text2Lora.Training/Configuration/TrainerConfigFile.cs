using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Text2Lora.IO;

namespace Text2Lora.Training.Configuration;

/// <summary>
/// Reads and writes a trainer's options object as JSON (camelCase names). Reading is strict: unknown fields,
/// wrong types and values that fail the options' data annotations (recursively, nested option objects
/// included) are reported with the field's path before any work starts.
/// </summary>
public static class TrainerConfigFile
{
    /// <summary>The serializer settings of config files.</summary>
    public static JsonSerializerOptions SerializerOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>
    /// Reads <typeparamref name="TOptions"/> from <paramref name="path"/>, resolves relative paths against the file's
    /// folder (options implementing <see cref="IConfigFilePaths"/>), applies <paramref name="overrides"/>
    /// (e.g. command-line <c>--output</c>), then validates.
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="TrainerConfigException">Invalid JSON, an unknown field, a wrong type or an invalid value.</exception>
    public static TOptions Load<TOptions>(string path, Action<TOptions>? overrides = null)
        where TOptions : class
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Trainer config '{path}' does not exist.", path);
        }

        TOptions? options;
        try
        {
            options = JsonSerializer.Deserialize<TOptions>(File.ReadAllText(path), StrictJson.Strict(SerializerOptions));
        }
        catch (JsonException ex)
        {
            var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? null : ex.Path.TrimStart('$', '.');
            throw new TrainerConfigException(path, field, ex.Message, ex);
        }
        catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException or ArgumentException)
        {
            // The serializer reports some type mismatches (e.g. a value where a collection is expected) this way.
            throw new TrainerConfigException(path, null, ex.Message, ex);
        }

        if (options is null)
        {
            throw new TrainerConfigException(path, null, "the file holds JSON null.");
        }

        RejectNulls(options, path, prefix: "");

        (options as IConfigFilePaths)?.ResolvePaths(Path.GetDirectoryName(Path.GetFullPath(path))!);
        overrides?.Invoke(options);
        Validate(options, path);
        return options;
    }

    /// <summary>Writes <paramref name="options"/> to <paramref name="path"/> atomically.</summary>
    public static void Save<TOptions>(TOptions options, string path)
        where TOptions : class =>
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(options, SerializerOptions) + "\n");

    /// <summary>Validates data annotations on <paramref name="options"/> and every nested options object.</summary>
    /// <exception cref="TrainerConfigException">A value is invalid; names its path.</exception>
    public static void Validate(object options, string source) => ValidateRecursive(options, source, prefix: "");

    /// <summary>A JSON <c>null</c> given for a member declared non-nullable is an error naming the member, before anything uses it.</summary>
    private static void RejectNulls(object instance, string source, string prefix)
    {
        var nullability = new NullabilityInfoContext();
        foreach (var property in instance.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length != 0 || property.PropertyType.IsValueType || !property.CanRead)
            {
                continue;
            }

            var name = prefix + JsonName(property);
            var value = property.GetValue(instance);
            if (value is null)
            {
                if (nullability.Create(property).ReadState == NullabilityState.NotNull)
                {
                    throw new TrainerConfigException(source, name, "must not be null.");
                }

                continue;
            }

            if (value is System.Collections.IEnumerable items and not string)
            {
                if (items.Cast<object?>().Any(item => item is null))
                {
                    throw new TrainerConfigException(source, name, "must not contain null.");
                }
            }
            else if (property.PropertyType.Namespace?.StartsWith("Text2Lora", StringComparison.Ordinal) == true)
            {
                RejectNulls(value, source, name + ".");
            }
        }
    }

    private static void ValidateRecursive(object instance, string source, string prefix)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(instance, new ValidationContext(instance), results, validateAllProperties: true))
        {
            var first = results[0];
            var member = first.MemberNames.FirstOrDefault();
            throw new TrainerConfigException(source, member is null ? prefix.TrimEnd('.') : prefix + (JsonName(instance.GetType().GetProperty(member)) ?? JsonNamingPolicy.CamelCase.ConvertName(member)), first.ErrorMessage ?? "invalid value");
        }

        foreach (var property in instance.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length == 0 && property.PropertyType.IsClass && property.PropertyType != typeof(string)
                && property.PropertyType.Namespace?.StartsWith("Text2Lora", StringComparison.Ordinal) == true
                && property.GetValue(instance) is { } nested)
            {
                ValidateRecursive(nested, source, prefix + JsonName(property) + ".");
            }
        }
    }

    /// <summary>The member's name in the file: its <c>[JsonPropertyName]</c>, else the camelCase property name.</summary>
    [return: System.Diagnostics.CodeAnalysis.NotNullIfNotNull(nameof(property))]
    private static string? JsonName(PropertyInfo? property) =>
        property is null ? null : property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name);
}
