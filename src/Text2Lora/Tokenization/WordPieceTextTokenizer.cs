using System.Text;
using System.Text.Json;
using Microsoft.ML.Tokenizers;

namespace Text2Lora.Tokenization;

/// <summary>
/// An uncased BERT WordPiece tokenizer read from a Hugging Face folder (<c>vocab.txt</c>, else the vocabulary of a
/// WordPiece <c>tokenizer.json</c>; options from <c>tokenizer_config.json</c>, <c>special_tokens_map.json</c> and the
/// <c>tokenizer.json</c> normalizer), as transformers' slow <c>BertTokenizer</c>: special tokens split off in their exact
/// case, <see cref="BertBasicTokenizer"/> (clean-up, CJK split, lower-casing, accent stripping, punctuation split), then
/// greedy longest-match WordPiece per word by Microsoft.ML.Tokenizers' <see cref="WordPieceTokenizer"/> (a word
/// with an unmatchable piece or over 100 characters becomes one <c>[UNK]</c>). Encodings are
/// <c>[CLS] pieces [SEP]</c>, truncated on the right to <see cref="MaxLength"/> with <c>[SEP]</c> kept (transformers'
/// <c>truncation=True</c>). Thread-safe.
/// </summary>
internal sealed class WordPieceTextTokenizer
{
    /// <summary>transformers' sentinel for "no maximum" (<c>int(1e30)</c>) and anything beyond it means no limit.</summary>
    private const double NoLimit = 1e18;

    private readonly WordPieceTokenizer _wordPiece;
    private readonly BertBasicTokenizer? _basic;
    private readonly (string Token, int Id)[] _specialTokens;

    private WordPieceTextTokenizer(WordPieceTokenizer wordPiece, BertBasicTokenizer? basic, (string Token, int Id)[] specialTokens, int pad, int cls, int sep, int maxLength)
    {
        _wordPiece = wordPiece;
        _basic = basic;
        _specialTokens = specialTokens;
        PadTokenId = pad;
        ClsTokenId = cls;
        SepTokenId = sep;
        MaxLength = maxLength;
    }

    /// <summary>The most ids an encoding has, [CLS] and [SEP] included.</summary>
    public int MaxLength { get; }

    /// <summary>Id of the padding token.</summary>
    public int PadTokenId { get; }

    /// <summary>Id of <c>[CLS]</c>.</summary>
    public int ClsTokenId { get; }

    /// <summary>Id of <c>[SEP]</c>.</summary>
    public int SepTokenId { get; }

    /// <summary>
    /// Loads the tokenizer of <paramref name="directory"/>. <paramref name="fallbackMaxLength"/> (the model's
    /// <c>max_position_embeddings</c>) is used when <c>tokenizer_config.json</c> sets no <c>model_max_length</c>.
    /// </summary>
    /// <param name="directory">The tokenizer folder.</param>
    /// <param name="fallbackMaxLength">The model's <c>max_position_embeddings</c>.</param>
    /// <param name="embeddingRows">The model's <c>vocab_size</c>: a vocabulary with more entries would give ids outside its embedding table (null: not checked).</param>
    /// <exception cref="FileNotFoundException">Neither vocab.txt nor tokenizer.json exists.</exception>
    /// <exception cref="TokenizerFormatException">A file is malformed, asks for something else than uncased WordPiece, or has more entries than <paramref name="embeddingRows"/>; names the file and key.</exception>
    public static WordPieceTextTokenizer Load(string directory, int fallbackMaxLength, int? embeddingRows = null)
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

        var specialNames = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["unk_token"] = Token(root, map, "unk_token", configPath) ?? "[UNK]",
            ["cls_token"] = Token(root, map, "cls_token", configPath) ?? "[CLS]",
            ["sep_token"] = Token(root, map, "sep_token", configPath) ?? "[SEP]",
            ["pad_token"] = Token(root, map, "pad_token", configPath) ?? "[PAD]",
            ["mask_token"] = Token(root, map, "mask_token", configPath) ?? "[MASK]",
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

        string[] vocabulary;
        string vocabularySource;
        if (File.Exists(vocabPath))
        {
            // transformers' load_vocab: one token per line, the line number is the id.
            vocabulary = File.ReadAllText(vocabPath).Split('\n');
            if (vocabulary.Length > 0 && vocabulary[^1].Length == 0)
            {
                vocabulary = vocabulary[..^1];
            }

            vocabularySource = vocabPath;
        }
        else if (tokenizerJson?.RootElement is { } fastRoot)
        {
            vocabulary = VocabularyFromTokenizerJson(fastRoot, jsonPath);
            vocabularySource = jsonPath;
        }
        else
        {
            throw new FileNotFoundException($"No 'vocab.txt' or 'tokenizer.json' in '{directory}'.", vocabPath);
        }

        if (vocabulary.Length > embeddingRows)
        {
            throw new TokenizerFormatException(vocabularySource,
                $"the vocabulary has {vocabulary.Length} entries but the model's embedding table has {embeddingRows} rows (config.json 'vocab_size'); ids past it would index outside the table.");
        }

        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < vocabulary.Length; i++)
        {
            ids.TryAdd(vocabulary[i], i);
        }

        int IdOf(string key) => ids.TryGetValue(specialNames[key], out var id)
            ? id
            : throw new TokenizerFormatException(vocabularySource, $"the {key} '{specialNames[key]}' is not in the vocabulary.");

        var special = specialNames.Keys.Select(k => (Token: specialNames[k], Id: IdOf(k)))
            .Concat(AddedSpecialTokens(root, configPath).Where(t => ids.ContainsKey(t)).Select(t => (Token: t, Id: ids[t])))
            .DistinctBy(t => t.Token)
            .OrderByDescending(t => t.Token.Length) // longest first, like the added-tokens trie
            .ToArray();

        WordPieceTokenizer wordPiece;
        try
        {
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(string.Join('\n', vocabulary) + "\n"));
            wordPiece = WordPieceTokenizer.Create(stream, new WordPieceOptions
            {
                UnknownToken = specialNames["unk_token"],
                ContinuingSubwordPrefix = "##",
                MaxInputCharsPerWord = 100,
            });
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException)
        {
            throw new TokenizerFormatException(vocabularySource, ex.Message, ex);
        }

        var basicTokenizer = basic ? new BertBasicTokenizer(lowerCase, stripAccents ?? lowerCase, chinese) : null;
        return new WordPieceTextTokenizer(wordPiece, basicTokenizer, special, IdOf("pad_token"), IdOf("cls_token"), IdOf("sep_token"), maxLength);
    }

    /// <summary><c>[CLS] pieces [SEP]</c> of <paramref name="text"/>, the pieces cut on the right so the whole fits <see cref="MaxLength"/>.</summary>
    public IReadOnlyList<int> Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var pieces = Pieces(text);
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
    public int CountTokens(string text) => Pieces(text).Count + 2;

    /// <summary>The ids of <paramref name="text"/> without [CLS]/[SEP]: special tokens (exact case) split off first, then words, then word pieces.</summary>
    private List<int> Pieces(string text)
    {
        var ids = new List<int>();
        var start = 0;
        var position = 0;
        while (position < text.Length)
        {
            var match = _specialTokens.FirstOrDefault(t => string.CompareOrdinal(text, position, t.Token, 0, t.Token.Length) == 0 && position + t.Token.Length <= text.Length);
            if (match.Token is null)
            {
                position++;
                continue;
            }

            AddWords(text[start..position], ids);
            ids.Add(match.Id);
            position += match.Token.Length;
            start = position;
        }

        AddWords(text[start..], ids);
        return ids;
    }

    private void AddWords(string chunk, List<int> ids)
    {
        if (chunk.Length == 0)
        {
            return;
        }

        var words = _basic is null ? BertBasicTokenizer.WhitespaceSplit(chunk) : _basic.Split(chunk);
        foreach (var word in words)
        {
            ids.AddRange(_wordPiece.EncodeToIds(word, considerPreTokenization: false, considerNormalization: false));
        }
    }

    /// <summary>The contents of <c>added_tokens_decoder</c> entries marked special.</summary>
    private static IEnumerable<string> AddedSpecialTokens(JsonElement? config, string path)
    {
        if (config is not { } root || !root.TryGetProperty("added_tokens_decoder", out var added) || added.ValueKind != JsonValueKind.Object)
        {
            yield break;
        }

        foreach (var entry in added.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.Object || !entry.Value.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.String)
            {
                throw new TokenizerFormatException(path, $"'added_tokens_decoder.{entry.Name}.content' must be a string.");
            }

            if (entry.Value.TryGetProperty("special", out var isSpecial) && isSpecial.ValueKind == JsonValueKind.True)
            {
                yield return content.GetString()!;
            }
        }
    }

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
    private static string[] VocabularyFromTokenizerJson(JsonElement root, string path)
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

        return [.. ordered.Select(e => e.Token)];
    }
}
