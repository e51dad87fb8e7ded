using System.Globalization;

namespace Text2Lora.TaskSuite.Lexicon;

/// <summary>English number words for 0–99, written with a space and no hyphen ("thirty seven").</summary>
public static class NumberWords
{
    private static readonly string[] Small =
    [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
        "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    ];

    private static readonly string[] Tens =
    [
        "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    ];

    /// <summary>The words for <paramref name="n"/> (0 ≤ n ≤ 99).</summary>
    public static string ToWords(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(n, 99);
        if (n < 20)
        {
            return Small[n];
        }

        var tens = Tens[n / 10];
        return n % 10 == 0 ? tens : tens + " " + Small[n % 10];
    }

    /// <summary>The number written by <paramref name="words"/>, the inverse of <see cref="ToWords"/>.</summary>
    public static int FromWords(string words)
    {
        ArgumentNullException.ThrowIfNull(words);
        for (var n = 0; n <= 99; n++)
        {
            if (string.Equals(ToWords(n), words, StringComparison.Ordinal))
            {
                return n;
            }
        }

        throw new ArgumentException($"'{words}' is not a number word between zero and ninety nine.", nameof(words));
    }

    /// <summary>Digits of <paramref name="n"/> in the invariant culture.</summary>
    public static string Digits(int n) => n.ToString(CultureInfo.InvariantCulture);
}
