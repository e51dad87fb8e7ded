using System.Globalization;
using System.Text.RegularExpressions;

namespace Text2Lora.Evaluation.Scoring;

/// <summary>
/// GSM8K-style numeric answers. The prediction is the <b>last</b> number in the generated text (as lm-evaluation-harness's
/// <c>flexible-extract</c> and the T2L reference's <c>get_gsm8k_regex</c>): an optional minus sign, an optional <c>$</c>,
/// digits with optional thousands commas (<c>1,000</c>) and an optional decimal part; commas and <c>$</c> are dropped and
/// the value is compared exactly (<c>18</c> = <c>18.00</c>). The gold answer is the number after the last <c>####</c>.
/// </summary>
public static partial class NumericAnswer
{
    /// <summary>The marker that precedes the final answer in GSM8K solutions.</summary>
    public const string GoldMarker = "####";

    /// <summary>The last number in <paramref name="text"/>, or null when it has none (or it does not fit a decimal).</summary>
    public static decimal? ExtractLast(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var matches = NumberPattern().Matches(text);
        return matches.Count == 0 ? null : Parse(matches[^1].Value);
    }

    /// <summary>
    /// The number after the last <see cref="GoldMarker"/> of a GSM8K solution, as its exact text (commas removed), or null
    /// when there is no marker or no number after it.
    /// </summary>
    public static string? ExtractGold(string solution)
    {
        ArgumentNullException.ThrowIfNull(solution);
        var marker = solution.LastIndexOf(GoldMarker, StringComparison.Ordinal);
        if (marker < 0)
        {
            return null;
        }

        var tail = solution[(marker + GoldMarker.Length)..].Trim().Replace(",", "", StringComparison.Ordinal).Replace("$", "", StringComparison.Ordinal);
        return Parse(tail) is null ? null : tail;
    }

    /// <summary>Whether the last number of <paramref name="generated"/> equals the number <paramref name="reference"/>.</summary>
    public static bool Matches(string generated, string reference)
    {
        var predicted = ExtractLast(generated);
        var gold = Parse(reference.Trim());
        return predicted is not null && gold is not null && predicted.Value == gold.Value;
    }

    /// <summary>Parses one number as <see cref="ExtractLast"/> finds it (sign, <c>$</c>, thousands commas, decimals).</summary>
    internal static decimal? Parse(string number)
    {
        var cleaned = number.Replace(",", "", StringComparison.Ordinal).Replace("$", "", StringComparison.Ordinal);
        return decimal.TryParse(cleaned, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
    }

    [GeneratedRegex(@"-?\$?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?", RegexOptions.CultureInvariant)]
    private static partial Regex NumberPattern();
}
