using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace Text2Lora.Tokenization;

/// <summary>
/// The glue from an HF <c>tokenizer.json</c> of a byte-level BPE model (Llama-3, Qwen2, GPT-2) to
/// Microsoft.ML.Tokenizers' <see cref="BpeOptions"/>: vocab, merges, <c>ignore_merges</c>, the
/// normalizer, the <c>Split</c>/<c>ByteLevel</c> pre-tokenizers, <c>added_tokens</c> and the
/// post-processor's BOS/EOS template.
/// </summary>
internal static class HfTokenizerJson
{
    /// <summary>GPT-2's pre-tokenizer regex, used by <c>ByteLevel</c> with <c>use_regex: true</c>.</summary>
    private const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    public static ByteLevelBpeTextTokenizer Load(string path, TokenizerConfig config)
    {
        JsonObject root = TokenizerConfig.ReadObject(path);
        JsonObject model = root["model"] as JsonObject ?? throw Error(path, "'model' is missing or not an object");
        string type = (string?)model["type"] ?? "BPE";
        if (type != "BPE")
        {
            throw Error(path, $"'model.type' is '{type}'; only byte-level BPE tokenizer.json files are supported (SentencePiece models load from tokenizer.model)");
        }

        (List<Regex> patterns, bool byteLevel) = ReadPreTokenizer(root["pre_tokenizer"], path);
        if (!byteLevel || ReadFlag(model, "byte_fallback", path))
        {
            throw Error(path, "the tokenizer is not byte-level BPE (no ByteLevel pre-tokenizer); SentencePiece-style models load from tokenizer.model");
        }

        Dictionary<string, int> vocab = ReadVocab(model, path);
        List<AddedToken> added = ReadAddedTokens(root, path);
        foreach (AddedToken token in config.AddedTokens.Where(t => added.All(a => a.Id != t.Id)))
        {
            added.Add(token);
        }

        BpeTokenizer bpe;
        try
        {
            bpe = BpeTokenizer.Create(new BpeOptions(vocab)
            {
                Merges = ReadMerges(model, path),
                ByteLevel = true,
                UnknownToken = (string?)model["unk_token"],
            });
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            throw Error(path, $"the BPE model cannot be built: {ex.Message}", ex);
        }

        int? Lookup(string? token) => token is null ? null
            : added.FirstOrDefault(t => t.Content == token)?.Id ?? (vocab.TryGetValue(token, out int id) ? id : null);

        int? bos = Lookup(config.BosToken);
        int? eos = Lookup(config.EosToken);
        int? pad = Lookup(config.PadToken) ?? config.GenerationPadTokenId;
        (List<int> prefix, List<int> suffix) = ReadPostProcessor(root["post_processor"], path);

        // Slow-style flags in tokenizer_config.json (LlamaTokenizerFast, GemmaTokenizerFast) rebuild the
        // post-processor in HF; otherwise the tokenizer.json template decides.
        if (config.AddBosToken is bool addBos)
        {
            prefix = addBos && bos is int b ? [b] : [];
        }

        if (config.AddEosToken is bool addEos)
        {
            suffix = addEos && eos is int e ? [e] : [];
        }

        var special = new TokenizerSpecialTokens(
            added,
            TokenizerLoader.SpecialIds(added, config, Lookup, bos, eos, Lookup(config.UnkToken), Lookup(config.PadToken)),
            prefix,
            suffix,
            bos,
            TokenizerLoader.EosIds(config, eos),
            pad);
        return new ByteLevelBpeTextTokenizer(
            bpe, patterns, ReadNormalizer(root["normalizer"], path), ReadFlag(model, "ignore_merges", path), special, config.CleanUpTokenizationSpaces);
    }

    private static TokenizerFormatException Error(string path, string problem, Exception? inner = null) => new(path, problem, inner);

    private static bool ReadFlag(JsonObject node, string key, string path) => node[key] switch
    {
        null => false,
        JsonValue v when v.TryGetValue(out bool b) => b,
        _ => throw Error(path, $"'{key}' must be true or false"),
    };

    private static Dictionary<string, int> ReadVocab(JsonObject model, string path)
    {
        if (model["vocab"] is not JsonObject vocabNode || vocabNode.Count == 0)
        {
            throw Error(path, "'model.vocab' is missing or empty");
        }

        var vocab = new Dictionary<string, int>(vocabNode.Count, StringComparer.Ordinal);
        foreach ((string token, JsonNode? id) in vocabNode)
        {
            vocab[token] = id is JsonValue v && v.TryGetValue(out int value) && value >= 0
                ? value
                : throw Error(path, $"'model.vocab' entry '{token}' is not a non-negative integer id");
        }

        return vocab;
    }

    /// <summary>Merges are written as <c>"a b"</c> strings or, by newer tokenizers, as <c>["a", "b"]</c> pairs.</summary>
    private static List<string> ReadMerges(JsonObject model, string path)
    {
        if (model["merges"] is not JsonArray mergesNode)
        {
            throw Error(path, "'model.merges' is missing or not a list");
        }

        var merges = new List<string>(mergesNode.Count);
        for (int i = 0; i < mergesNode.Count; i++)
        {
            merges.Add(mergesNode[i] switch
            {
                JsonValue v when v.TryGetValue(out string? s) && s.Split(' ').Length == 2 => s,
                JsonArray { Count: 2 } pair when pair[0] is JsonValue a && pair[1] is JsonValue b => $"{a.GetValue<string>()} {b.GetValue<string>()}",
                _ => throw Error(path, $"'model.merges[{i}]' is neither \"a b\" nor [\"a\", \"b\"]"),
            });
        }

        return merges;
    }

    private static List<AddedToken> ReadAddedTokens(JsonObject root, string path)
    {
        var tokens = new List<AddedToken>();
        if (root["added_tokens"] is not JsonArray list)
        {
            return tokens;
        }

        for (int i = 0; i < list.Count; i++)
        {
            if (list[i] is not JsonObject entry || entry["id"] is not JsonValue idNode || !idNode.TryGetValue(out int id))
            {
                throw Error(path, $"'added_tokens[{i}]' must be an object with an integer 'id'");
            }

            tokens.Add(TokenizerConfig.ReadAddedToken(entry, id, path, $"added_tokens[{i}]"));
        }

        return tokens;
    }

    /// <summary>Reads <c>Split</c> regexes (behaviour <c>Isolated</c>) and <c>ByteLevel</c>, alone or in a <c>Sequence</c>.</summary>
    private static (List<Regex> Patterns, bool ByteLevel) ReadPreTokenizer(JsonNode? node, string path)
    {
        var patterns = new List<Regex>();
        bool byteLevel = false;
        foreach (JsonObject step in Flatten(node, "pretokenizers"))
        {
            switch ((string?)step["type"])
            {
                case "Split":
                    patterns.Add(ReadSplit(step, path));
                    break;
                case "ByteLevel":
                    if (ReadFlag(step, "add_prefix_space", path))
                    {
                        throw Error(path, "ByteLevel pre-tokenizer with 'add_prefix_space: true' is not supported");
                    }

                    byteLevel = true;
                    if (step["use_regex"] is null || ReadFlag(step, "use_regex", path))
                    {
                        patterns.Add(new Regex(Gpt2Pattern, RegexOptions.CultureInvariant));
                    }

                    break;
                default:
                    throw Error(path, $"pre-tokenizer type '{(string?)step["type"]}' is not supported");
            }
        }

        return (patterns, byteLevel);
    }

    private static Regex ReadSplit(JsonObject step, string path)
    {
        if ((string?)step["behavior"] != "Isolated" || ReadFlag(step, "invert", path))
        {
            throw Error(path, $"Split pre-tokenizer with behavior '{(string?)step["behavior"]}' (invert {step["invert"]}) is not supported; only Isolated");
        }

        string pattern = step["pattern"] switch
        {
            JsonObject p when p["Regex"] is JsonValue r => r.GetValue<string>(),
            JsonObject p when p["String"] is JsonValue s => Regex.Escape(s.GetValue<string>()),
            _ => throw Error(path, "Split pre-tokenizer has no 'pattern.Regex' or 'pattern.String'"),
        };
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant);
        }
        catch (ArgumentException ex)
        {
            throw Error(path, $"Split pre-tokenizer regex cannot be compiled: {pattern}", ex);
        }
    }

    private static NormalizationForm? ReadNormalizer(JsonNode? node, string path)
    {
        NormalizationForm? form = null;
        foreach (JsonObject step in Flatten(node, "normalizers"))
        {
            form = (string?)step["type"] switch
            {
                "NFC" => NormalizationForm.FormC,
                "NFD" => NormalizationForm.FormD,
                "NFKC" => NormalizationForm.FormKC,
                "NFKD" => NormalizationForm.FormKD,
                var other => throw Error(path, $"normalizer type '{other}' is not supported"),
            };
        }

        return form;
    }

    /// <summary>BOS/EOS around a single sequence from a <c>TemplateProcessing</c> post-processor (none for <c>ByteLevel</c>).</summary>
    private static (List<int> Prefix, List<int> Suffix) ReadPostProcessor(JsonNode? node, string path)
    {
        List<int> prefix = [], suffix = [];
        foreach (JsonObject step in Flatten(node, "processors"))
        {
            switch ((string?)step["type"])
            {
                case "ByteLevel":
                    break;
                case "TemplateProcessing":
                    ReadTemplate(step, path, prefix, suffix);
                    break;
                default:
                    throw Error(path, $"post-processor type '{(string?)step["type"]}' is not supported");
            }
        }

        return (prefix, suffix);
    }

    private static void ReadTemplate(JsonObject step, string path, List<int> prefix, List<int> suffix)
    {
        if (step["single"] is not JsonArray single)
        {
            throw Error(path, "TemplateProcessing has no 'single' template");
        }

        bool afterSequence = false;
        foreach (JsonNode? piece in single)
        {
            if (piece?["Sequence"] is not null)
            {
                afterSequence = true;
            }
            else if (piece?["SpecialToken"]?["id"] is JsonValue name)
            {
                string token = name.GetValue<string>();
                JsonArray ids = step["special_tokens"]?[token]?["ids"] as JsonArray
                    ?? throw Error(path, $"TemplateProcessing uses '{token}' but 'special_tokens' has no ids for it");
                (afterSequence ? suffix : prefix).AddRange(ids.Select(id => id!.GetValue<int>()));
            }
            else
            {
                throw Error(path, "TemplateProcessing 'single' entries must be Sequence or SpecialToken");
            }
        }
    }

    /// <summary>A component or a <c>Sequence</c> of them, as a flat list (nothing for null).</summary>
    private static IEnumerable<JsonObject> Flatten(JsonNode? node, string sequenceKey) => node switch
    {
        null => [],
        JsonObject o when (string?)o["type"] == "Sequence" => (o[sequenceKey] as JsonArray ?? []).OfType<JsonObject>().SelectMany(child => Flatten(child, sequenceKey)),
        JsonObject o => [o],
        _ => [],
    };
}
