using System.Text;
using System.Text.Json;
using Microsoft.ML.Tokenizers;

namespace Text2Lora.Tokenization;

/// <summary>
/// An uncased BERT WordPiece tokenizer read from a Hugging Face folder (<c>vocab.txt</c>, else the vocabulary of a
/// WordPiece <c>tokenizer.json</c>; options from <c>tokenizer_config.json</c>, <c>special_tokens_map.json</c> and the
/// <c>tokenizer.json</c> normalizer), run by Microsoft.ML.Tokenizers' <see cref="BertTokenizer"/>: clean-up, lower-casing,
/// accent stripping, CJK ideographs split, punctuation split, greedy longest-match WordPiece. Encodings are
/// <c>[CLS] pieces [SEP]</c>, truncated on the right to <see cref="MaxLength"/> with <c>[SEP]</c> kept (transformers'
/// <c>truncation=True</c>). Thread-safe.
/// </summary>
internal sealed class WordPieceTextTokenizer
{
    /// <summary>transformers' sentinel for "no maximum" (<c>int(1e30)</c>) and anything beyond it means no limit.</summary>
    private const double NoLimit = 1e18;

    private readonly BertTokenizer _tokenizer;

    private WordPieceTextTokenizer(BertTokenizer tokenizer, int maxLength)
    {
        _tokenizer = tokenizer;
        MaxLength = maxLength;
    }

    /// <summary>The most ids an encoding has, [CLS] and [SEP] included.</summary>
    public int MaxLength { get; }

    /// <summary>Id of the padding token.</summary>
    public int PadTokenId => _tokenizer.PaddingTokenId;

    /// <summary>Id of <c>[CLS]</c>.</summary>
    public int ClsTokenId => _tokenizer.ClassificationTokenId;

    /// <summary>Id of <c>[SEP]</c>.</summary>
    public int SepTokenId => _tokenizer.SeparatorTokenId;

    /// <summary>
    /// Loads the tokenizer of <paramref name="directory"/>. <paramref name="fallbackMaxLength"/> (the model's
    /// <c>max_position_embeddings</c>) is used when <c>tokenizer_config.json</c> sets no <c>model_max_length</c>.
    /// </summary>
    /// <exception cref="FileNotFoundException">Neither vocab.txt nor tokenizer.json exists.</exception>
    /// <exception cref="TokenizerFormatException">A file is malformed or asks for something else than uncased WordPiece; names the file and key.</exception>
    public static WordPieceTextTokenizer Load(string directory, int fallbackMaxLength)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var configPath = Path.Combine(directory, "tokenizer_config.json");
        var mapPath = Path.Combine(directory, "special_tokens_map.json");
        var jsonPath = Path.Combine(directory, "tokenizer.json");
        var vocabPath = Path.Combine(directory, "vocab.txt");

        using var config = ReadJson(configPath);
        using var map = ReadJson(mapPath);
        using var tokenizerJson = ReadJson(jsonPath);
        var root = config?.RootElement;
        var lowerCase = Bool(root, "do_lower_case", configPath) ?? true;
        var stripAccents = Bool(root, "strip_accents", configPath);
        var chinese = Bool(root, "tokenize_chinese_chars", configPath) ?? true;
        var basic = Bool(root, "do_basic_tokenize", configPath) ?? true;
        if (tokenizerJson?.RootElement is { } fast)
        {
            CheckFastTokenizer(fast, jsonPath, ref lowerCase, ref stripAccents, ref chinese);
        }

        var options = new BertOptions
        {
            LowerCaseBeforeTokenization = lowerCase,
            // transformers: strip_accents null follows do_lower_case.
            RemoveNonSpacingMarks = stripAccents ?? lowerCase,
            IndividuallyTokenizeCjk = chinese,
            ApplyBasicTokenization = basic,
            SplitOnSpecialTokens = true,
            UnknownToken = Token(root, map, "unk_token", configPath) ?? "[UNK]",
            ClassificationToken = Token(root, map, "cls_token", configPath) ?? "[CLS]",
            SeparatorToken = Token(root, map, "sep_token", configPath) ?? "[SEP]",
            PaddingToken = Token(root, map, "pad_token", configPath) ?? "[PAD]",
            MaskingToken = Token(root, map, "mask_token", configPath) ?? "[MASK]",
        };

        var maxLength = fallbackMaxLength;
        if (root is { } r && r.TryGetProperty("model_max_length", out var limit) && limit.ValueKind == JsonValueKind.Number)
        {
            var value = limit.GetDouble();
            if (value < 2)
            {
                throw new TokenizerFormatException(configPath, $"'model_max_length' must leave room for [CLS] and [SEP], got {value}.");
            }

            maxLength = value >= NoLimit ? fallbackMaxLength : (int)Math.Min(value, int.MaxValue);
        }

        BertTokenizer tokenizer;
        try
        {
            if (File.Exists(vocabPath))
            {
                tokenizer = BertTokenizer.Create(vocabPath, options);
            }
            else if (tokenizerJson?.RootElement is { } fastRoot)
            {
                using var vocab = VocabularyFromTokenizerJson(fastRoot, jsonPath);
                tokenizer = BertTokenizer.Create(vocab, options);
            }
            else
            {
                throw new FileNotFoundException($"No 'vocab.txt' or 'tokenizer.json' in '{directory}'.", vocabPath);
            }
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException)
        {
            throw new TokenizerFormatException(File.Exists(vocabPath) ? vocabPath : jsonPath, ex.Message, ex);
        }

        return new WordPieceTextTokenizer(tokenizer, maxLength);
    }

    /// <summary><c>[CLS] pieces [SEP]</c> of <paramref name="text"/>, the pieces cut on the right so the whole fits <see cref="MaxLength"/>.</summary>
    public IReadOnlyList<int> Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var pieces = _tokenizer.EncodeToIds(text, addSpecialTokens: false);
        var keep = Math.Min(pieces.Count, MaxLength - 2);
        var ids = new int[keep + 2];
        ids[0] = ClsTokenId;
        for (var i = 0; i < keep; i++)
        {
            ids[i + 1] = pieces[i];
        }

        ids[^1] = SepTokenId;
        return ids;
    }

    /// <summary>The number of ids <see cref="Encode"/> would return before truncation.</summary>
    public int CountTokens(string text) => _tokenizer.EncodeToIds(text, addSpecialTokens: false).Count + 2;

    private static JsonDocument? ReadJson(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new TokenizerFormatException(path, $"invalid JSON ({ex.Message}).", ex);
        }
    }

    private static bool? Bool(JsonElement? root, string key, string path)
    {
        if (root is not { } r || !r.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new TokenizerFormatException(path, $"'{key}' must be true, false or null."),
        };
    }

    /// <summary>A special token from tokenizer_config.json, else special_tokens_map.json: a string or an AddedToken object with <c>content</c>.</summary>
    private static string? Token(JsonElement? config, JsonDocument? map, string key, string path)
    {
        foreach (var root in new[] { config, map?.RootElement })
        {
            if (root is { } r && r.TryGetProperty(key, out var value))
            {
                return value.ValueKind switch
                {
                    JsonValueKind.String => value.GetString(),
                    JsonValueKind.Object when value.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String => content.GetString(),
                    JsonValueKind.Null => null,
                    _ => throw new TokenizerFormatException(path, $"'{key}' must be a string or an object with 'content'."),
                };
            }
        }

        return null;
    }

    /// <summary>Takes the normalizer options of a WordPiece <c>tokenizer.json</c> and refuses any other model.</summary>
    private static void CheckFastTokenizer(JsonElement root, string path, ref bool lowerCase, ref bool? stripAccents, ref bool chinese)
    {
        if (root.TryGetProperty("model", out var model) && model.TryGetProperty("type", out var type) && type.GetString() != "WordPiece")
        {
            throw new TokenizerFormatException(path, $"'model.type' is '{type.GetString()}'; the gte encoder needs a WordPiece tokenizer.");
        }

        if (root.TryGetProperty("normalizer", out var normalizer) && normalizer.ValueKind == JsonValueKind.Object)
        {
            if (normalizer.TryGetProperty("type", out var kind) && kind.GetString() != "BertNormalizer")
            {
                throw new TokenizerFormatException(path, $"'normalizer.type' is '{kind.GetString()}'; only BertNormalizer is supported.");
            }

            lowerCase = Bool(normalizer, "lowercase", path) ?? lowerCase;
            stripAccents = Bool(normalizer, "strip_accents", path) ?? stripAccents;
            chinese = Bool(normalizer, "handle_chinese_chars", path) ?? chinese;
        }
    }

    /// <summary><c>model.vocab</c> of a WordPiece tokenizer.json written as vocab.txt lines (ordered by id).</summary>
    private static MemoryStream VocabularyFromTokenizerJson(JsonElement root, string path)
    {
        if (!root.TryGetProperty("model", out var model) || !model.TryGetProperty("vocab", out var vocab) || vocab.ValueKind != JsonValueKind.Object)
        {
            throw new TokenizerFormatException(path, "'model.vocab' must be an object of token → id.");
        }

        var entries = vocab.EnumerateObject().Select(p => (Token: p.Name, Id: p.Value.TryGetInt32(out var id) ? id : -1)).ToList();
        var ordered = entries.OrderBy(e => e.Id).ToList();
        for (var i = 0; i < ordered.Count; i++)
        {
            if (ordered[i].Id != i)
            {
                throw new TokenizerFormatException(path, $"'model.vocab' ids must be 0..{ordered.Count - 1} without gaps; '{ordered[i].Token}' has {ordered[i].Id}.");
            }
        }

        var text = new StringBuilder();
        foreach (var (token, _) in ordered)
        {
            text.Append(token).Append('\n');
        }

        return new MemoryStream(Encoding.UTF8.GetBytes(text.ToString()));
    }
}
