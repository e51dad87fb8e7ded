using System.Text.Json;
using System.Text.Json.Nodes;
using Text2Lora.IO;

namespace Text2Lora.Tokenization;

/// <summary>
/// What Text2Lora reads from HF <c>tokenizer_config.json</c> (and the EOS/PAD ids of <c>generation_config.json</c>).
/// Every field is optional in the files; absent means HF's default.
/// </summary>
internal sealed class TokenizerConfig
{
    public const string FileName = "tokenizer_config.json";
    public const string GenerationConfigFileName = "generation_config.json";

    /// <summary><c>add_bos_token</c>; null when the file does not say (then the tokenizer's own default holds).</summary>
    public bool? AddBosToken { get; init; }

    /// <summary><c>add_eos_token</c>; null when the file does not say.</summary>
    public bool? AddEosToken { get; init; }

    public string? BosToken { get; init; }

    public string? EosToken { get; init; }

    public string? PadToken { get; init; }

    public string? UnkToken { get; init; }

    /// <summary><c>additional_special_tokens</c>.</summary>
    public IReadOnlyList<string> AdditionalSpecialTokens { get; init; } = [];

    /// <summary><c>added_tokens_decoder</c>: id → token.</summary>
    public IReadOnlyList<AddedToken> AddedTokens { get; init; } = [];

    /// <summary><c>legacy</c> of the slow Llama tokenizer; null when absent (HF then behaves as legacy).</summary>
    public bool? Legacy { get; init; }

    /// <summary><c>clean_up_tokenization_spaces</c>; HF's default is false since transformers 4.45 for these models.</summary>
    public bool CleanUpTokenizationSpaces { get; init; }

    public string? TokenizerClass { get; init; }

    /// <summary><c>add_prefix_space</c> (slow Llama, non-legacy mode); HF's default is true.</summary>
    public bool AddPrefixSpace { get; init; } = true;

    /// <summary>The default <c>chat_template</c> (a string, or the entry named "default" of a list).</summary>
    public string? ChatTemplate { get; init; }

    /// <summary><c>eos_token_id</c> of <c>generation_config.json</c> (int or list), empty when absent.</summary>
    public IReadOnlyList<int> GenerationEosTokenIds { get; init; } = [];

    /// <summary><c>pad_token_id</c> of <c>generation_config.json</c>.</summary>
    public int? GenerationPadTokenId { get; init; }

    /// <summary>Reads the files of <paramref name="modelDirectory"/>; both are optional.</summary>
    public static TokenizerConfig Load(string modelDirectory)
    {
        string path = Path.Combine(modelDirectory, FileName);
        JsonObject root = File.Exists(path) ? ReadObject(path) : [];
        string generationPath = Path.Combine(modelDirectory, GenerationConfigFileName);
        JsonObject generation = File.Exists(generationPath) ? ReadObject(generationPath) : [];

        return new TokenizerConfig
        {
            AddBosToken = GetBool(root, "add_bos_token", path),
            AddEosToken = GetBool(root, "add_eos_token", path),
            BosToken = GetTokenContent(root, "bos_token", path),
            EosToken = GetTokenContent(root, "eos_token", path),
            PadToken = GetTokenContent(root, "pad_token", path),
            UnkToken = GetTokenContent(root, "unk_token", path),
            AdditionalSpecialTokens = GetAdditionalSpecialTokens(root, path),
            AddedTokens = GetAddedTokensDecoder(root, path),
            Legacy = GetBool(root, "legacy", path),
            CleanUpTokenizationSpaces = GetBool(root, "clean_up_tokenization_spaces", path) ?? false,
            TokenizerClass = GetString(root, "tokenizer_class", path),
            AddPrefixSpace = GetBool(root, "add_prefix_space", path) ?? true,
            ChatTemplate = GetChatTemplate(root, path),
            GenerationEosTokenIds = GetIntOrIntList(generation, "eos_token_id", generationPath),
            GenerationPadTokenId = GetIntOrIntList(generation, "pad_token_id", generationPath) is [int pad, ..] ? pad : null,
        };
    }

    /// <summary>Parses a JSON object file; any failure becomes a <see cref="TokenizerFormatException"/> naming it.</summary>
    internal static JsonObject ReadObject(string path)
    {
        try
        {
            return StrictJson.ParseNode(File.ReadAllText(path)) as JsonObject
                ?? throw new TokenizerFormatException(path, "the top level is not a JSON object");
        }
        catch (JsonException ex)
        {
            throw new TokenizerFormatException(path, $"corrupt JSON: {ex.Message}", ex);
        }
    }

    private static bool? GetBool(JsonObject root, string key, string path) => root[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out bool b) => b,
        _ => throw new TokenizerFormatException(path, $"'{key}' must be true, false or null"),
    };

    private static string? GetString(JsonObject root, string key, string path) => root[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out string? s) => s,
        _ => throw new TokenizerFormatException(path, $"'{key}' must be a string or null"),
    };

    /// <summary>Special tokens are written either as a string or as a serialized <c>AddedToken</c> object.</summary>
    private static string? GetTokenContent(JsonObject root, string key, string path) => root[key] switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out string? s) => s,
        JsonObject o when o["content"] is JsonValue c && c.TryGetValue(out string? s) => s,
        _ => throw new TokenizerFormatException(path, $"'{key}' must be a string, an object with a 'content' string, or null"),
    };

    private static List<string> GetAdditionalSpecialTokens(JsonObject root, string path)
    {
        if (root["additional_special_tokens"] is not JsonArray array)
        {
            return [];
        }

        var result = new List<string>();
        var holder = new JsonObject();
        foreach (JsonNode? item in array)
        {
            holder["t"] = item?.DeepClone();
            result.Add(GetTokenContent(holder, "t", path)
                ?? throw new TokenizerFormatException(path, "'additional_special_tokens' holds a null entry"));
        }

        return result;
    }

    private static List<AddedToken> GetAddedTokensDecoder(JsonObject root, string path)
    {
        if (root["added_tokens_decoder"] is null)
        {
            return [];
        }

        if (root["added_tokens_decoder"] is not JsonObject decoder)
        {
            throw new TokenizerFormatException(path, "'added_tokens_decoder' must be an object mapping ids to tokens");
        }

        var tokens = new List<AddedToken>();
        foreach ((string key, JsonNode? value) in decoder)
        {
            if (!int.TryParse(key, out int id) || value is not JsonObject entry)
            {
                throw new TokenizerFormatException(path, $"'added_tokens_decoder' entry '{key}' must map an integer id to an object");
            }

            tokens.Add(ReadAddedToken(entry, id, path, $"added_tokens_decoder.{key}"));
        }

        return tokens;
    }

    /// <summary>Reads one serialized HF <c>AddedToken</c> (shared with <c>tokenizer.json</c>'s <c>added_tokens</c>).</summary>
    internal static AddedToken ReadAddedToken(JsonObject entry, int id, string path, string where)
    {
        string content = entry["content"] is JsonValue c && c.TryGetValue(out string? s) && s.Length > 0
            ? s
            : throw new TokenizerFormatException(path, $"'{where}.content' must be a non-empty string");
        return new AddedToken(
            id,
            content,
            Special: Flag(entry, "special", path, where),
            LStrip: Flag(entry, "lstrip", path, where),
            RStrip: Flag(entry, "rstrip", path, where),
            SingleWord: Flag(entry, "single_word", path, where));
    }

    private static bool Flag(JsonObject entry, string key, string path, string where) => entry[key] switch
    {
        null => false,
        JsonValue v when v.TryGetValue(out bool b) => b,
        _ => throw new TokenizerFormatException(path, $"'{where}.{key}' must be true or false"),
    };

    private static string? GetChatTemplate(JsonObject root, string path) => root["chat_template"] switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out string? s) => s,
        JsonArray list => list.OfType<JsonObject>()
            .FirstOrDefault(e => (string?)e["name"] == "default")?["template"]?.GetValue<string>(),
        _ => throw new TokenizerFormatException(path, "'chat_template' must be a string or a list of {name, template}"),
    };

    private static List<int> GetIntOrIntList(JsonObject root, string key, string path)
    {
        JsonNode? node = root[key];
        JsonNode?[] items = node switch
        {
            null => [],
            JsonArray list => [.. list],
            _ => new JsonNode?[] { node },
        };
        var ids = new List<int>();
        foreach (JsonNode? item in items)
        {
            if (item is not JsonValue value || !value.TryGetValue(out int id))
            {
                throw new TokenizerFormatException(path, $"'{key}' must be an integer or a list of integers");
            }

            ids.Add(id);
        }

        return ids;
    }
}
