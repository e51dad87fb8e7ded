using System.Globalization;

namespace Text2Lora.Evaluation.Scoring;

/// <summary>
/// Exact-match comparison of short answers, as the T2L reference's <c>get_accuracy</c>: surrounding whitespace and the
/// characters <c>: ` ' " ( . )</c> and spaces are stripped from both ends, case is ignored. Unlike the reference (which
/// compares <c>str(float(generated))</c> with the raw target, so "1" never matches "1.0"), two answers that both parse
/// as numbers are compared by value.
/// </summary>
public static class AnswerText
{
    private static readonly char[] TrimmedCharacters = [':', '`', '\'', '"', '(', '.', ')', ' '];

    /// <summary>The normalised form: trimmed of whitespace, then of <c>: ` ' " ( . )</c> and spaces, lower-cased (invariant).</summary>
    public static string Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Trim().Trim(TrimmedCharacters).ToLowerInvariant();
    }

    /// <summary>Whether <paramref name="generated"/> matches <paramref name="reference"/> after normalisation (or by numeric value).</summary>
    public static bool Matches(string generated, string reference)
    {
        var a = Normalize(generated);
        var b = Normalize(reference);
        if (string.Equals(a, b, StringComparison.Ordinal))
        {
            return true;
        }

        return TryParseNumber(a, out var x) && TryParseNumber(b, out var y) && x == y;
    }

    private static bool TryParseNumber(string text, out decimal value) =>
        decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
}
