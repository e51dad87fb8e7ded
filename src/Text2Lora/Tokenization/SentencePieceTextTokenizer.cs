using Microsoft.ML.Tokenizers;

namespace Text2Lora.Tokenization;

/// <summary>
/// A SentencePiece <c>tokenizer.model</c> (Llama-2, Mistral, Gemma) with the behaviour of HF's slow
/// <c>LlamaTokenizer</c>/<c>GemmaTokenizer</c>: added tokens split out first, each text run
/// encoded by SentencePiece on its own (legacy mode), byte fallback for unknown characters.
/// The BPE itself is Microsoft.ML.Tokenizers' <see cref="SentencePieceTokenizer"/>.
/// </summary>
internal sealed class SentencePieceTextTokenizer : HfTextTokenizer
{
    private readonly SentencePieceTokenizer _model;
    private readonly Dictionary<int, string> _pieces;
    private readonly bool _removeExtraWhitespaces;
    private readonly bool _llamaLegacyDecode;
    private readonly bool _nonLegacy;
    private readonly bool _addPrefixSpace;
    private readonly int _unkPieceCount;
    private readonly string _unkToken;
    private readonly int? _spaceSymbolId;

    public SentencePieceTextTokenizer(SentencePieceTokenizer model, TokenizerSpecialTokens special, TokenizerConfig config)
        : base(special, config.CleanUpTokenizationSpaces)
    {
        _model = model;
        _pieces = model.Vocabulary.ToDictionary(kv => kv.Value, kv => kv.Key);
        _removeExtraWhitespaces = model.Normalizer is SentencePieceNormalizer { RemoveExtraWhiteSpaces: true };
        bool isLlamaTokenizer = config.TokenizerClass?.StartsWith("LlamaTokenizer", StringComparison.Ordinal) ?? false;

        // HF LlamaTokenizer: `legacy` absent means legacy behaviour; only LlamaTokenizer has the switch.
        _nonLegacy = isLlamaTokenizer && config.Legacy == false;
        _llamaLegacyDecode = isLlamaTokenizer && !_nonLegacy;
        _addPrefixSpace = config.AddPrefixSpace;
        _unkToken = config.UnkToken ?? model.UnknownToken;
        _unkPieceCount = _nonLegacy ? EncodeRaw(_unkToken, addDummyPrefix: false).Count : 0;
        _spaceSymbolId = TokenToId(SentencePieceWhitespace.SpaceSymbol.ToString());
        VocabularySize = Math.Max(_pieces.Keys.Max(), special.AddedTokens.Select(t => t.Id).DefaultIfEmpty(-1).Max()) + 1;
    }

    public override int VocabularySize { get; }

    public override int? TokenToId(string token) => _model.Vocabulary.TryGetValue(token, out int id) ? id : null;

    /// <summary>Non-legacy Llama: ▁ in the input counts as a space, and the whole text gets one prefix ▁.</summary>
    protected override string PrepareText(string text)
    {
        if (!_nonLegacy || text.Length == 0)
        {
            return text;
        }

        text = text.Replace(SentencePieceWhitespace.SpaceSymbol, ' ');
        return _addPrefixSpace ? SentencePieceWhitespace.SpaceSymbol + text : text;
    }

    protected override IEnumerable<int> EncodeSegments(IReadOnlyList<TextSegment> segments)
    {
        List<int> ids = [.. base.EncodeSegments(segments)];

        // Non-legacy Llama drops the lone prefix ▁ when the text starts with a special token.
        if (_nonLegacy && ids.Count > 1 && ids[0] == _spaceSymbolId && segments is [{ IsAddedToken: false }, { IsAddedToken: true }, ..])
        {
            ids.RemoveAt(0);
        }

        return ids;
    }

    protected override IReadOnlyList<int> EncodeText(string text)
    {
        if (!_nonLegacy)
        {
            return EncodeRaw(text, _model.AddDummyPrefix);
        }

        // Non-legacy Llama (HF `_tokenize`): no dummy prefix; a run starting with a space is encoded
        // behind the unknown token so SentencePiece keeps that space, then the unknown token's pieces are cut off.
        if (!text.StartsWith(' ') && !text.StartsWith(SentencePieceWhitespace.SpaceSymbol))
        {
            return EncodeRaw(text, addDummyPrefix: false);
        }

        IReadOnlyList<int> withUnk = EncodeRaw(_unkToken + text, addDummyPrefix: false);
        return withUnk.Count >= _unkPieceCount ? [.. withUnk.Skip(_unkPieceCount)] : withUnk;
    }

    private IReadOnlyList<int> EncodeRaw(string text, bool addDummyPrefix)
    {
        string normalized = SentencePieceWhitespace.Normalize(
            text, addDummyPrefix, _removeExtraWhitespaces, _model.EscapeWhiteSpaces, _model.TreatWhitespaceAsSuffix);
        return normalized.Length == 0
            ? []
            : _model.EncodeToIds(normalized, addBeginningOfSentence: false, addEndOfSentence: false, considerPreTokenization: false, considerNormalization: false);
    }

    /// <summary>
    /// SentencePiece decode of a run: byte pieces joined into UTF-8, ▁ → space, and the dummy-prefix
    /// space removed (with <c>remove_extra_whitespaces</c>, every leading space, as SentencePiece does).
    /// </summary>
    protected override string DecodeRun(IReadOnlyList<int> ids)
    {
        string text = _model.Decode(ids, considerSpecialTokens: false);
        return _removeExtraWhitespaces ? text.TrimStart(' ') : text;
    }

    protected override string IdToToken(int id) => _pieces.TryGetValue(id, out string? piece) ? piece : string.Empty;

    /// <summary>
    /// Legacy slow <c>LlamaTokenizer.convert_tokens_to_string</c>: when a special token follows text, a
    /// space goes before that text (<c>"&lt;s&gt; Hello&lt;s&gt;"</c>); text right after a leading special token
    /// gets a space unless its first piece starts with ▁.
    /// </summary>
    protected override string JoinDecodedParts(IReadOnlyList<DecodedPart> parts)
    {
        if (!_llamaLegacyDecode)
        {
            return base.JoinDecodedParts(parts);
        }

        var output = new System.Text.StringBuilder();
        for (int i = 0; i < parts.Count; i++)
        {
            DecodedPart part = parts[i];
            bool textBeforeSpecial = !part.IsAddedToken && i + 1 < parts.Count && parts[i + 1].IsAddedToken;
            bool textAfterLeadingSpecial = !part.IsAddedToken && i == 1 && parts[0].IsAddedToken
                && _addPrefixSpace && part.FirstToken?.StartsWith(SentencePieceWhitespace.SpaceSymbol) == false;
            if (textAfterLeadingSpecial)
            {
                output.Append(' ');
            }

            if (textBeforeSpecial)
            {
                output.Append(' ');
            }

            output.Append(part.Text);
        }

        return output.ToString();
    }
}
