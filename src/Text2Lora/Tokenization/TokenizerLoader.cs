using Microsoft.ML.Tokenizers;

namespace Text2Lora.Tokenization;

/// <summary>
/// Loads the tokenizer of a Hugging Face model folder: SentencePiece <c>tokenizer.model</c> (Llama-2,
/// Mistral, Gemma) when present, otherwise byte-level BPE <c>tokenizer.json</c> (Llama-3, Qwen2),
/// configured by <c>tokenizer_config.json</c> and <c>generation_config.json</c>.
/// </summary>
public static class TokenizerLoader
{
    /// <summary>SentencePiece model file name.</summary>
    public const string SentencePieceFileName = "tokenizer.model";

    /// <summary>HF fast-tokenizer file name.</summary>
    public const string TokenizerJsonFileName = "tokenizer.json";

    /// <summary>Loads the tokenizer of <paramref name="modelDirectory"/>.</summary>
    /// <exception cref="TokenizerFormatException">The folder has no tokenizer, or a tokenizer file is corrupt or unsupported.</exception>
    public static ITextTokenizer Load(string modelDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelDirectory);
        if (!Directory.Exists(modelDirectory))
        {
            throw new TokenizerFormatException(modelDirectory, "the model folder does not exist");
        }

        string sentencePiecePath = Path.Combine(modelDirectory, SentencePieceFileName);
        string tokenizerJsonPath = Path.Combine(modelDirectory, TokenizerJsonFileName);
        string? modelPath = File.Exists(sentencePiecePath) ? sentencePiecePath : File.Exists(tokenizerJsonPath) ? tokenizerJsonPath : null;
        TokenizerConfig config;
        try
        {
            config = TokenizerConfig.Load(modelDirectory);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            // System.Text.Json.Nodes accessors report a value of the wrong JSON kind this way.
            throw new TokenizerFormatException(Path.Combine(modelDirectory, TokenizerConfig.FileName), $"a value has the wrong JSON type: {ex.Message}", ex);
        }

        if (modelPath is null)
        {
            throw new TokenizerFormatException(modelDirectory, $"the folder has neither '{SentencePieceFileName}' nor '{TokenizerJsonFileName}'");
        }

        HfTextTokenizer tokenizer;
        try
        {
            tokenizer = modelPath == sentencePiecePath ? LoadSentencePiece(sentencePiecePath, config) : HfTokenizerJson.Load(tokenizerJsonPath, config);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            throw new TokenizerFormatException(modelPath, $"a value has the wrong JSON type: {ex.Message}", ex);
        }

        tokenizer.EnsureIdsInVocabulary(modelPath);
        return tokenizer;
    }

    private static SentencePieceTextTokenizer LoadSentencePiece(string path, TokenizerConfig config)
    {
        SentencePieceTokenizer model;
        try
        {
            using FileStream stream = File.OpenRead(path);
            model = SentencePieceTokenizer.Create(stream, addBeginningOfSentence: false, addEndOfSentence: false);
        }
        catch (Exception ex) when (ex is not (FileNotFoundException or UnauthorizedAccessException))
        {
            throw new TokenizerFormatException(path, $"not a readable SentencePiece model: {ex.Message}", ex);
        }

        int? Lookup(string? token) => token is null ? null
            : config.AddedTokens.FirstOrDefault(t => t.Content == token)?.Id
              ?? (model.Vocabulary.TryGetValue(token, out int id) ? id : null);

        // Slow Llama/Gemma tokenizers fall back to the model's own <s>, </s>, <unk> when the config is silent.
        int? bos = Lookup(config.BosToken ?? model.BeginningOfSentenceToken);
        int? eos = Lookup(config.EosToken ?? model.EndOfSentenceToken);
        int? unk = Lookup(config.UnkToken ?? model.UnknownToken);
        int? pad = Lookup(config.PadToken) ?? config.GenerationPadTokenId;

        List<AddedToken> added = [.. config.AddedTokens];
        foreach (int? id in new[] { unk, bos, eos, Lookup(config.PadToken) })
        {
            if (id is int specialId && added.All(t => t.Id != specialId) && IdToPiece(model, specialId) is { } piece)
            {
                added.Add(new AddedToken(specialId, piece, Special: true));
            }
        }

        var special = new TokenizerSpecialTokens(
            added,
            SpecialIds(added, config, Lookup, bos, eos, unk, pad),
            PrefixIds: (config.AddBosToken ?? true) && bos is int b ? [b] : [],
            SuffixIds: (config.AddEosToken ?? false) && eos is int e ? [e] : [],
            bos,
            EosIds(config, eos),
            pad);
        return new SentencePieceTextTokenizer(model, special, config);
    }

    private static string? IdToPiece(SentencePieceTokenizer model, int id) =>
        model.Vocabulary.FirstOrDefault(kv => kv.Value == id).Key;

    /// <summary>Ids <c>skip_special_tokens</c> drops: special added tokens, BOS/EOS/UNK/PAD and <c>additional_special_tokens</c>.</summary>
    internal static HashSet<int> SpecialIds(IEnumerable<AddedToken> added, TokenizerConfig config, Func<string?, int?> lookup, params int?[] named)
    {
        var ids = added.Where(t => t.Special).Select(t => t.Id).ToHashSet();
        foreach (int? id in named.Concat(config.AdditionalSpecialTokens.Select(lookup)))
        {
            if (id is int value)
            {
                ids.Add(value);
            }
        }

        return ids;
    }

    /// <summary>
    /// EOS ids: the tokenizer's EOS token first (for instruct models the end-of-turn token, e.g.
    /// <c>&lt;|eot_id|&gt;</c>, <c>&lt;|im_end|&gt;</c>), then the other ids of <c>generation_config.json</c>.
    /// </summary>
    internal static List<int> EosIds(TokenizerConfig config, int? tokenizerEos)
    {
        List<int> ids = tokenizerEos is int eos ? [eos] : [];
        ids.AddRange(config.GenerationEosTokenIds.Where(id => !ids.Contains(id)));
        return ids;
    }
}
