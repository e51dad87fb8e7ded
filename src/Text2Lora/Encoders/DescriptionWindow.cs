namespace Text2Lora.Encoders;

/// <summary>
/// Bounds the work spent on a very long description: only a prefix long enough to fill the encoder is tokenized.
/// Starting at <see cref="InitialCharactersPerToken"/> characters per token, the window doubles until its prefix (cut at
/// the last whitespace inside it, so no word is split) has more tokens than the encoder reads, or covers the whole text.
/// The tokens the encoder keeps are then the same as for the whole text: every tokenizer here splits on whitespace first
/// (WordPiece; SentencePiece and byte-level BPE attach a space to the following word, which the cut removes whole).
/// </summary>
internal static class DescriptionWindow
{
    /// <summary>First guess of characters per token (English averages about four).</summary>
    internal const int InitialCharactersPerToken = 16;

    /// <summary>
    /// <paramref name="text"/> itself when it has at most <paramref name="maxTokens"/> tokens or is short; otherwise a
    /// prefix of it (ending before a whitespace) that still has more than <paramref name="maxTokens"/> tokens.
    /// </summary>
    public static string Prefix(string text, int maxTokens, Func<string, int> countTokens)
    {
        var window = (long)Math.Max(maxTokens, 1) * InitialCharactersPerToken;
        while (window < text.Length)
        {
            var cut = text.LastIndexOfAny([' ', '\t', '\n', '\r'], (int)window);
            var prefix = text[..(cut > 0 ? cut : (int)window)];
            if (char.IsHighSurrogate(prefix[^1]))
            {
                prefix = prefix[..^1];
            }

            if (countTokens(prefix) > maxTokens)
            {
                return prefix;
            }

            window *= 2;
        }

        return text;
    }
}
