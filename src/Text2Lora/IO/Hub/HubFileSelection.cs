using System.Text.Json;
using System.Text.RegularExpressions;

namespace Text2Lora.IO.Hub;

/// <summary>Which files of a repository listing a <see cref="ModelFileKind"/> needs (paths relative to the subfolder).</summary>
internal static class HubFileSelection
{
    /// <summary>The safetensors index whose <c>weight_map</c> names the shards.</summary>
    public const string SafetensorsIndex = "model.safetensors.index.json";

    private static readonly string[] TokenizerFiles =
    [
        "tokenizer.json", "tokenizer.model", "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json",
        "vocab.json", "vocab.txt", "merges.txt", "chat_template.jinja", "chat_template.json",
    ];

    private static readonly string[] BaseModelFiles =
        ["config.json", "generation_config.json", "model.safetensors", SafetensorsIndex, .. TokenizerFiles];

    private static readonly string[] EncoderFiles =
        [.. BaseModelFiles, "modules.json", "sentence_bert_config.json", "config_sentence_transformers.json", "1_Pooling/config.json"];

    private static readonly string[] AdapterFiles =
        ["adapter_config.json", "adapter_model.safetensors", "adapter_model.bin", "task_desc.txt"];

    private static readonly string[] HypernetworkExtensions = [".json", ".yaml", ".yml", ".safetensors", ".pt", ".bin"];

    /// <summary>
    /// The files of <paramref name="repoFiles"/> (repository paths) under <paramref name="subfolder"/> that
    /// <paramref name="kind"/> needs, further restricted to <paramref name="include"/> glob patterns when given
    /// (matched against the path relative to the subfolder; <c>*</c> matches across folders, as fnmatch does).
    /// </summary>
    public static IReadOnlyList<string> Select(IEnumerable<string> repoFiles, string? subfolder, ModelFileKind kind, IReadOnlyList<string>? include)
    {
        var prefix = subfolder is null ? string.Empty : subfolder + "/";
        var patterns = include?.Select(Glob).ToList();
        var selected = new List<string>();
        foreach (var file in repoFiles)
        {
            if (!file.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var relative = file[prefix.Length..];
            if (Needed(relative, kind) && (patterns is null || patterns.Any(p => p.IsMatch(relative))))
            {
                selected.Add(file);
            }
        }

        return selected;
    }

    /// <summary>The shard file names a safetensors index maps tensors to.</summary>
    public static IReadOnlyList<string> ShardsOf(string indexPath)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(indexPath));
        if (!document.RootElement.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"'{indexPath}' has no 'weight_map' object.");
        }

        return [.. map.EnumerateObject().Select(p => p.Value.GetString() ?? string.Empty).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal)];
    }

    private static bool Needed(string relative, ModelFileKind kind) => kind switch
    {
        ModelFileKind.All => true,
        ModelFileKind.ModelConfig => relative == "config.json",
        ModelFileKind.BaseModel => BaseModelFiles.Contains(relative, StringComparer.Ordinal),
        ModelFileKind.Encoder => EncoderFiles.Contains(relative, StringComparer.Ordinal),
        ModelFileKind.Adapter => AdapterFiles.Contains(relative, StringComparer.Ordinal),
        ModelFileKind.Hypernetwork => !relative.Contains('/', StringComparison.Ordinal)
            && HypernetworkExtensions.Any(e => relative.EndsWith(e, StringComparison.OrdinalIgnoreCase)),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown model file kind."),
    };

    private static Regex Glob(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant);
}
