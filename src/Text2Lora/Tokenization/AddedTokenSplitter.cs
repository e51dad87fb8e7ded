namespace Text2Lora.Tokenization;

/// <summary>
/// Cuts text at added tokens the way HF does (slow tokenizers' trie split and the fast
/// <c>AddedVocabulary</c> agree on this): scanning left to right, the longest added token starting at
/// the earliest position wins; <c>lstrip</c>/<c>rstrip</c> tokens swallow adjacent whitespace and
/// <c>single_word</c> tokens only match outside words.
/// </summary>
internal sealed class AddedTokenSplitter
{
    private readonly Dictionary<char, AddedToken[]> _byFirstChar;

    public AddedTokenSplitter(IEnumerable<AddedToken> tokens)
    {
        _byFirstChar = tokens
            .Where(t => t.Content.Length > 0)
            .GroupBy(t => t.Content[0])
            .ToDictionary(g => g.Key, g => g.OrderByDescending(t => t.Content.Length).ToArray());
    }

    public List<TextSegment> Split(string text)
    {
        var segments = new List<TextSegment>();
        int textStart = 0;
        int i = 0;
        while (i < text.Length)
        {
            AddedToken? match = _byFirstChar.Count == 0 ? null : LongestMatchAt(text, i);
            if (match is null)
            {
                i++;
                continue;
            }

            int matchStart = i;
            int matchEnd = i + match.Content.Length;
            if (match.LStrip)
            {
                while (matchStart > textStart && char.IsWhiteSpace(text[matchStart - 1]))
                {
                    matchStart--;
                }
            }

            if (match.RStrip)
            {
                while (matchEnd < text.Length && char.IsWhiteSpace(text[matchEnd]))
                {
                    matchEnd++;
                }
            }

            if (matchStart > textStart)
            {
                segments.Add(new TextSegment(text[textStart..matchStart], null));
            }

            segments.Add(new TextSegment(null, match));
            textStart = i = matchEnd;
        }

        if (textStart < text.Length)
        {
            segments.Add(new TextSegment(text[textStart..], null));
        }

        return segments;
    }

    private AddedToken? LongestMatchAt(string text, int position)
    {
        if (!_byFirstChar.TryGetValue(text[position], out AddedToken[]? candidates))
        {
            return null;
        }

        foreach (AddedToken candidate in candidates)
        {
            if (candidate.Content.Length > text.Length - position
                || string.CompareOrdinal(text, position, candidate.Content, 0, candidate.Content.Length) != 0)
            {
                continue;
            }

            if (candidate.SingleWord && !IsOutsideWord(text, position, position + candidate.Content.Length))
            {
                continue;
            }

            return candidate;
        }

        return null;
    }

    private static bool IsOutsideWord(string text, int start, int end) =>
        (start == 0 || !char.IsLetterOrDigit(text[start - 1])) && (end == text.Length || !char.IsLetterOrDigit(text[end]));
}
