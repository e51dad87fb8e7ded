using System.Globalization;
using System.Text;

namespace Text2Lora.Tokenization;

/// <summary>
/// The word splitting of transformers' slow <c>BertTokenizer</c> (<c>BasicTokenizer</c>, 4.46), in its order:
/// clean-up (drop NUL, U+FFFD and every C* character except \t \n \r; map \t \n \r and Zs to spaces), spaces around CJK
/// ideographs, NFC, whitespace split, then per word lower-casing and accent stripping (NFD, drop Mn) and a split after
/// and before every punctuation character (ASCII non-alphanumerics and Unicode P*). Symbols (S*) do not split a word.
/// Microsoft.ML.Tokenizers 2.0.1's <c>BertTokenizer</c> differs on 8 of the 22 fixture cases (it maps \t and Cf to
/// spaces, drops symbols such as <c>$</c>, <c>^</c> and emoji, splits at ☃, matches lower-cased special tokens), so
/// this step is ours and only the WordPiece step is the library's.
/// </summary>
internal sealed class BertBasicTokenizer(bool lowerCase, bool stripAccents, bool splitCjk)
{
    /// <summary>The words of <paramref name="text"/> (a chunk without special tokens).</summary>
    public List<string> Split(string text)
    {
        var cleaned = new StringBuilder(text.Length + 8);
        foreach (var rune in text.EnumerateRunes())
        {
            if (rune.Value == 0 || rune.Value == 0xFFFD || IsControl(rune))
            {
                continue;
            }

            if (IsWhitespace(rune))
            {
                cleaned.Append(' ');
            }
            else if (splitCjk && IsCjk(rune.Value))
            {
                cleaned.Append(' ').Append(rune.ToString()).Append(' ');
            }
            else
            {
                cleaned.Append(rune.ToString());
            }
        }

        var words = new List<string>();
        foreach (var token in WhitespaceSplit(cleaned.ToString().Normalize(NormalizationForm.FormC)))
        {
            var word = token;
            if (lowerCase)
            {
                word = PythonLower(word);
            }

            if (stripAccents)
            {
                word = StripAccents(word);
            }

            SplitOnPunctuation(word, words);
        }

        return words;
    }

    /// <summary>Python's <c>str.split()</c>: runs of whitespace separate words, none are empty.</summary>
    public static IEnumerable<string> WhitespaceSplit(string text)
    {
        var start = -1;
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsWhiteSpace(text[i]) || text[i] is >= '\x1c' and <= '\x1f')
            {
                if (start >= 0)
                {
                    yield return text[start..i];
                    start = -1;
                }
            }
            else if (start < 0)
            {
                start = i;
            }
        }

        if (start >= 0)
        {
            yield return text[start..];
        }
    }

    private static void SplitOnPunctuation(string word, List<string> output)
    {
        var current = new StringBuilder();
        foreach (var rune in word.EnumerateRunes())
        {
            if (IsPunctuation(rune))
            {
                if (current.Length > 0)
                {
                    output.Add(current.ToString());
                    current.Clear();
                }

                output.Add(rune.ToString());
            }
            else
            {
                current.Append(rune.ToString());
            }
        }

        if (current.Length > 0)
        {
            output.Add(current.ToString());
        }
    }

    /// <summary>Python <c>str.lower()</c>: full lower-case mapping, where <c>İ</c> becomes <c>i</c> + U+0307 (.NET maps it to <c>i</c>).</summary>
    private static string PythonLower(string word) =>
        word.Contains('\u0130', StringComparison.Ordinal)
            ? word.Replace("\u0130", "i\u0307", StringComparison.Ordinal).ToLowerInvariant()
            : word.ToLowerInvariant();

    private static string StripAccents(string word)
    {
        var decomposed = word.Normalize(NormalizationForm.FormD);
        var result = new StringBuilder(decomposed.Length);
        foreach (var rune in decomposed.EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(rune) != UnicodeCategory.NonSpacingMark)
            {
                result.Append(rune.ToString());
            }
        }

        return result.ToString();
    }

    /// <summary>transformers' <c>_is_whitespace</c>: space, \t, \n, \r or category Zs.</summary>
    private static bool IsWhitespace(Rune rune) =>
        rune.Value is ' ' or '\t' or '\n' or '\r' || Rune.GetUnicodeCategory(rune) == UnicodeCategory.SpaceSeparator;

    /// <summary>transformers' <c>_is_control</c>: any C* category (Cc, Cf, Cn, Co, Cs) except \t, \n, \r.</summary>
    private static bool IsControl(Rune rune)
    {
        if (rune.Value is '\t' or '\n' or '\r')
        {
            return false;
        }

        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.OtherNotAssigned
            or UnicodeCategory.PrivateUse or UnicodeCategory.Surrogate;
    }

    /// <summary>transformers' <c>_is_punctuation</c>: ASCII 33–47, 58–64, 91–96, 123–126, or any P* category.</summary>
    private static bool IsPunctuation(Rune rune)
    {
        var cp = rune.Value;
        if (cp is (>= 33 and <= 47) or (>= 58 and <= 64) or (>= 91 and <= 96) or (>= 123 and <= 126))
        {
            return true;
        }

        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;
    }

    /// <summary>transformers' <c>_is_chinese_char</c>: the CJK Unified Ideographs blocks and compatibility ideographs.</summary>
    private static bool IsCjk(int cp) =>
        cp is (>= 0x4E00 and <= 0x9FFF) or (>= 0x3400 and <= 0x4DBF) or (>= 0x20000 and <= 0x2A6DF) or (>= 0x2A700 and <= 0x2B73F)
            or (>= 0x2B740 and <= 0x2B81F) or (>= 0x2B820 and <= 0x2CEAF) or (>= 0xF900 and <= 0xFAFF) or (>= 0x2F800 and <= 0x2FA1F);
}
