using System.Text;

namespace Text2Lora.Tokenization;

/// <summary>
/// What every HF tokenizer does around its model: cut the text at added tokens, encode the runs
/// in between with the model, add the configured BOS/EOS ids; on decode, render added tokens
/// verbatim (or drop special ones) and let the model decode the runs between them.
/// </summary>
internal abstract class HfTextTokenizer : ITextTokenizer
{
    private readonly AddedTokenSplitter _splitter;
    private readonly Dictionary<int, AddedToken> _addedById;
    private readonly HashSet<int> _specialIds;
    private readonly int[] _prefixIds;
    private readonly int[] _suffixIds;
    private readonly bool _cleanUpTokenizationSpaces;

    protected HfTextTokenizer(TokenizerSpecialTokens special, bool cleanUpTokenizationSpaces)
    {
        _splitter = new AddedTokenSplitter(special.AddedTokens);
        _addedById = special.AddedTokens.GroupBy(t => t.Id).ToDictionary(g => g.Key, g => g.First());
        _specialIds = special.SpecialIds.ToHashSet();
        _prefixIds = [.. special.PrefixIds];
        _suffixIds = [.. special.SuffixIds];
        _cleanUpTokenizationSpaces = cleanUpTokenizationSpaces;
        BosTokenId = special.BosTokenId;
        EosTokenIds = special.EosTokenIds;
        PadTokenId = special.PadTokenId;
    }

    public abstract int VocabularySize { get; }

    /// <summary>
    /// Every id the tokenizer can emit on its own (BOS/EOS prefix and suffix, BOS, EOS, PAD, added tokens) lies in
    /// [0, <see cref="VocabularySize"/>); a file that wires an id outside it would feed the model an invalid index.
    /// </summary>
    /// <exception cref="TokenizerFormatException">An id is out of range; names <paramref name="path"/>.</exception>
    internal void EnsureIdsInVocabulary(string path)
    {
        var named = _prefixIds.Select(id => ("prefix (BOS) id", id))
            .Concat(_suffixIds.Select(id => ("suffix (EOS) id", id)))
            .Concat(EosTokenIds.Select(id => ("eos_token_id", id)))
            .Concat(_addedById.Keys.Select(id => ("added token id", id)));
        if (BosTokenId is int bos)
        {
            named = named.Append(("bos_token_id", bos));
        }

        if (PadTokenId is int pad)
        {
            named = named.Append(("pad_token_id", pad));
        }

        foreach (var (what, id) in named)
        {
            if (id < 0 || id >= VocabularySize)
            {
                throw new TokenizerFormatException(path, $"{what} {id} is outside the vocabulary [0, {VocabularySize})");
            }
        }
    }

    public int? BosTokenId { get; }

    public IReadOnlyList<int> EosTokenIds { get; }

    public int? PadTokenId { get; }

    /// <summary>The model's id of <paramref name="token"/> (a vocabulary entry or an added token), or null.</summary>
    public abstract int? TokenToId(string token);

    public IReadOnlyList<int> Encode(string text, bool addSpecialTokens = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>();
        if (addSpecialTokens)
        {
            ids.AddRange(_prefixIds);
        }

        ids.AddRange(EncodeSegments(_splitter.Split(PrepareText(text))));
        if (addSpecialTokens)
        {
            ids.AddRange(_suffixIds);
        }

        return ids;
    }

    public string Decode(IEnumerable<int> ids, bool skipSpecialTokens = true)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var parts = new List<DecodedPart>();
        var run = new List<int>();
        foreach (int id in ids)
        {
            if (skipSpecialTokens && _specialIds.Contains(id))
            {
                continue;
            }

            if (_addedById.TryGetValue(id, out AddedToken? added) || _specialIds.Contains(id))
            {
                FlushRun();
                parts.Add(new DecodedPart(added?.Content ?? IdToToken(id), IsAddedToken: true, FirstToken: null));
            }
            else
            {
                run.Add(id);
            }
        }

        FlushRun();
        string text = JoinDecodedParts(parts);
        return _cleanUpTokenizationSpaces ? CleanUpTokenizationSpaces(text) : text;

        void FlushRun()
        {
            if (run.Count > 0)
            {
                parts.Add(new DecodedPart(DecodeRun(run), IsAddedToken: false, FirstToken: IdToToken(run[0])));
                run.Clear();
            }
        }
    }

    /// <summary>Whole-text preparation before the added-token split (identity unless a mode needs it).</summary>
    protected virtual string PrepareText(string text) => text;

    /// <summary>Encodes the segments of one text; added-token segments become their ids.</summary>
    protected virtual IEnumerable<int> EncodeSegments(IReadOnlyList<TextSegment> segments)
    {
        foreach (TextSegment segment in segments)
        {
            if (segment.Token is { } token)
            {
                yield return token.Id;
            }
            else
            {
                foreach (int id in EncodeText(segment.Text!))
                {
                    yield return id;
                }
            }
        }
    }

    /// <summary>Encodes a run of text that contains no added token.</summary>
    protected abstract IReadOnlyList<int> EncodeText(string text);

    /// <summary>Decodes a run of ids that contains no added token.</summary>
    protected abstract string DecodeRun(IReadOnlyList<int> ids);

    /// <summary>The vocabulary string of <paramref name="id"/>.</summary>
    protected abstract string IdToToken(int id);

    /// <summary>Joins decoded runs and verbatim added tokens; fast tokenizers simply concatenate.</summary>
    protected virtual string JoinDecodedParts(IReadOnlyList<DecodedPart> parts) => string.Concat(parts.Select(p => p.Text));

    /// <summary>HF <c>clean_up_tokenization</c>: removes the space before punctuation and English contractions.</summary>
    private static string CleanUpTokenizationSpaces(string text) => new StringBuilder(text)
        .Replace(" .", ".").Replace(" ?", "?").Replace(" !", "!").Replace(" ,", ",")
        .Replace(" ' ", "'").Replace(" n't", "n't").Replace(" 'm", "'m").Replace(" 's", "'s")
        .Replace(" 've", "'ve").Replace(" 're", "'re")
        .ToString();

    /// <summary>One piece of decoded output; <paramref name="FirstToken"/> is the vocabulary string of a run's first id.</summary>
    protected readonly record struct DecodedPart(string Text, bool IsAddedToken, string? FirstToken);
}
