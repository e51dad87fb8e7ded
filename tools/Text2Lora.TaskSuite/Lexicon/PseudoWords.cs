using System.Text;
using Text2Lora.TaskSuite.Generation;

namespace Text2Lora.TaskSuite.Lexicon;

/// <summary>
/// Pronounceable made-up words ("bamito", "olen"): alternating consonants and vowels, 3–6 letters. They make
/// the string tasks' input space large, so a model must apply the rule letter by letter instead of memorizing.
/// </summary>
public static class PseudoWords
{
    /// <summary>Consonants used (no c, h, j, q, w, x, y: keeps the words pronounceable and y unambiguous).</summary>
    public const string Consonants = "bdfgklmnprstvz";

    /// <summary>Vowels used (the same five the suite counts as vowels).</summary>
    public const string Vowels = "aeiou";

    /// <summary>A made-up word of <paramref name="minLength"/>–<paramref name="maxLength"/> letters.</summary>
    /// <param name="random">The stream to draw from.</param>
    /// <param name="minLength">Shortest length (at least 2).</param>
    /// <param name="maxLength">Longest length.</param>
    /// <param name="startWithVowel">Force the first letter to be a vowel (true), a consonant (false) or either (null).</param>
    public static string Next(SuiteRandom random, int minLength = 3, int maxLength = 6, bool? startWithVowel = null)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfLessThan(minLength, 2);
        var length = random.NextInclusive(minLength, maxLength);
        var vowel = startWithVowel ?? random.Chance(1, 4);
        var builder = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            var alphabet = vowel ? Vowels : Consonants;
            builder.Append(alphabet[random.Next(alphabet.Length)]);
            vowel = !vowel;
        }

        return builder.ToString();
    }
}
