using System.Text;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace Text2Lora.Tokenization;

/// <summary>
/// A byte-level BPE tokenizer from HF <c>tokenizer.json</c> (Llama-3, Qwen2, GPT-2 style): optional
/// Unicode normalization, regex pre-tokenization, then Microsoft.ML.Tokenizers' byte-level
/// <see cref="BpeTokenizer"/> on each pre-token.
/// </summary>
internal sealed class ByteLevelBpeTextTokenizer : HfTextTokenizer
{
    private readonly BpeTokenizer _model;
    private readonly Dictionary<int, string> _tokens;
    private readonly IReadOnlyList<Regex> _splitPatterns;
    private readonly NormalizationForm? _normalization;
    private readonly bool _ignoreMerges;

    public ByteLevelBpeTextTokenizer(
        BpeTokenizer model,
        IReadOnlyList<Regex> splitPatterns,
        NormalizationForm? normalization,
        bool ignoreMerges,
        TokenizerSpecialTokens special,
        bool cleanUpTokenizationSpaces)
        : base(special, cleanUpTokenizationSpaces)
    {
        _model = model;
        _tokens = model.Vocabulary.ToDictionary(kv => kv.Value, kv => kv.Key);
        _splitPatterns = splitPatterns;
        _normalization = normalization;
        _ignoreMerges = ignoreMerges;
        VocabularySize = Math.Max(model.Vocabulary.Values.Max(), special.AddedTokens.Select(t => t.Id).DefaultIfEmpty(-1).Max()) + 1;
    }

    public override int VocabularySize { get; }

    public override int? TokenToId(string token) => _model.Vocabulary.TryGetValue(token, out int id) ? id : null;

    protected override IReadOnlyList<int> EncodeText(string text)
    {
        if (_normalization is { } form)
        {
            text = text.Normalize(form);
        }

        var ids = new List<int>();
        foreach (string word in PreTokenize(text))
        {
            IReadOnlyList<EncodedToken> tokens = _model.EncodeToTokens(word, out _, considerPreTokenization: false, considerNormalization: false);

            // `ignore_merges` (Llama-3): a pre-token that is itself a vocabulary entry is taken whole.
            // The tokens' values are byte-level strings, so their concatenation is the word's vocabulary form.
            if (_ignoreMerges && tokens.Count > 1 && _model.Vocabulary.TryGetValue(string.Concat(tokens.Select(t => t.Value)), out int wholeId))
            {
                ids.Add(wholeId);
            }
            else
            {
                ids.AddRange(tokens.Select(t => t.Id));
            }
        }

        return ids;
    }

    /// <summary>
    /// HF <c>Split</c> pre-tokenizers with behaviour <c>Isolated</c>, in sequence: every regex match and
    /// every stretch between matches becomes a piece, and the next pattern splits those pieces further.
    /// </summary>
    private IEnumerable<string> PreTokenize(string text)
    {
        IEnumerable<string> pieces = [text];
        foreach (Regex pattern in _splitPatterns)
        {
            pieces = pieces.SelectMany(piece => SplitIsolated(pattern, piece));
        }

        return pieces;
    }

    private static IEnumerable<string> SplitIsolated(Regex pattern, string text)
    {
        int position = 0;
        for (Match match = pattern.Match(text); match.Success; match = match.NextMatch())
        {
            if (match.Length == 0)
            {
                continue;
            }

            if (match.Index > position)
            {
                yield return text[position..match.Index];
            }

            yield return match.Value;
            position = match.Index + match.Length;
        }

        if (position < text.Length)
        {
            yield return text[position..];
        }
    }

    protected override string DecodeRun(IReadOnlyList<int> ids) => _model.Decode(ids, considerSpecialTokens: false);

    protected override string IdToToken(int id) => _tokens.TryGetValue(id, out string? token) ? token : string.Empty;
}
