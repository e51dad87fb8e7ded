using System.Text;

namespace Text2Lora.Tokenization;

/// <summary>
/// SentencePiece's whitespace normalization for models with the identity normalizer (Llama-2,
/// Mistral, Gemma), as <c>normalizer.cc</c> does it: with <c>remove_extra_whitespaces</c> leading and
/// trailing U+0020 are dropped and runs collapse to one; a dummy-prefix space is prepended to
/// non-empty text; spaces become U+2581 (▁).
/// </summary>
/// <remarks>
/// Done here rather than by Microsoft.ML.Tokenizers' <c>SentencePieceNormalizer</c> because 2.0.1
/// normalizes any one-character input to the empty string ("a" would encode to nothing).
/// </remarks>
internal static class SentencePieceWhitespace
{
    public const char SpaceSymbol = '\u2581';

    public static string Normalize(string text, bool addDummyPrefix, bool removeExtraWhitespaces, bool escapeWhitespaces, bool treatWhitespaceAsSuffix)
    {
        char space = escapeWhitespaces ? SpaceSymbol : ' ';
        ReadOnlySpan<char> input = text;
        if (removeExtraWhitespaces)
        {
            input = input.TrimStart(' ');
        }

        if (input.IsEmpty)
        {
            return string.Empty;
        }

        var output = new StringBuilder(input.Length + 1);
        if (addDummyPrefix && !treatWhitespaceAsSuffix)
        {
            output.Append(space);
        }

        bool previousWasSpace = false;
        foreach (char c in input)
        {
            if (c == ' ')
            {
                if (!(removeExtraWhitespaces && previousWasSpace))
                {
                    output.Append(space);
                }

                previousWasSpace = true;
            }
            else
            {
                output.Append(c);
                previousWasSpace = false;
            }
        }

        if (removeExtraWhitespaces)
        {
            while (output.Length > 0 && output[^1] == space)
            {
                output.Length--;
            }
        }

        if (addDummyPrefix && treatWhitespaceAsSuffix && output.Length > 0)
        {
            output.Append(space);
        }

        return output.ToString();
    }
}
