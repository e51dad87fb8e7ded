using Text2Lora.TaskSuite.Generation;
using Text2Lora.TaskSuite.Lexicon;

namespace Text2Lora.TaskSuite.Inputs;

/// <summary>The input spaces the tasks share. Many tasks draw from the same space, so only the description tells them apart.</summary>
public static class InputSamplers
{
    /// <summary>One lowercase word of <paramref name="minLength"/>–<paramref name="maxLength"/> letters: half real words, half made-up.</summary>
    public static InputSource SingleWord(int minLength = 3, int maxLength = 7)
    {
        var real = Words.AllLowercase.Where(w => w.Length >= minLength && w.Length <= maxLength).ToList();
        return InputSource.Sampled(random => random.Chance(1, 2)
            ? random.Pick(real)
            : PseudoWords.Next(random, minLength, Math.Min(maxLength, 6)));
    }

    /// <summary>One lowercase word; half start with a vowel (a, e, i, o, u), half with a consonant.</summary>
    public static InputSource WordByFirstLetter()
    {
        var vowelFirst = Words.AllLowercase.Where(w => Letters.IsVowel(w[0])).ToList();
        var consonantFirst = Words.AllLowercase.Where(w => !Letters.IsVowel(w[0])).ToList();
        return InputSource.Sampled(random =>
        {
            var vowel = random.Chance(1, 2);
            // Few real words start with a vowel: draw them less often, so distinct inputs stay balanced.
            return random.Chance(vowel ? 1 : 4, 8)
                ? random.Pick(vowel ? vowelFirst : consonantFirst)
                : PseudoWords.Next(random, 3, 6, startWithVowel: vowel);
        });
    }

    /// <summary>A noun with a regular plural: half real nouns, half made-up words.</summary>
    public static InputSource RegularNoun() =>
        InputSource.Sampled(random => random.Chance(1, 2) ? random.Pick(Words.RegularNouns) : PseudoWords.Next(random, 3, 6));

    /// <summary>
    /// <paramref name="minCount"/>–<paramref name="maxCount"/> distinct real words separated by single spaces.
    /// With <paramref name="uniqueLength"/>, the longest and the shortest word are each unique.
    /// </summary>
    public static InputSource WordList(int minCount = 3, int maxCount = 5, bool uniqueLength = false) =>
        InputSource.Sampled(random =>
        {
            while (true)
            {
                var count = random.NextInclusive(minCount, maxCount);
                var words = new List<string>(count);
                while (words.Count < count)
                {
                    var word = random.Pick(Words.AllLowercase);
                    if (!words.Contains(word, StringComparer.Ordinal))
                    {
                        words.Add(word);
                    }
                }

                if (!uniqueLength || HasUniqueExtremes(words))
                {
                    return string.Join(' ', words);
                }
            }
        });

    /// <summary>
    /// A short noun phrase, "the red ball", "a tiny cat", "my cake": a determiner, an optional adjective
    /// (always a colour when <paramref name="alwaysColor"/>) and a noun from one of <paramref name="categories"/>,
    /// the category chosen uniformly first so labels are balanced.
    /// </summary>
    public static InputSource NounPhrase(IReadOnlyList<IReadOnlyList<string>> categories, bool alwaysColor = false) =>
        InputSource.Sampled(random =>
        {
            var noun = random.Pick(random.Pick(categories));
            string? adjective = alwaysColor ? random.Pick(Words.Colors)
                : random.Next(3) switch
                {
                    0 => null,
                    1 => random.Pick(Words.Colors),
                    _ => random.Pick(Words.Sizes),
                };
            var next = adjective ?? noun;
            string[] determiners = ["the", Letters.IsVowel(next[0]) ? "an" : "a", "my", "his", "her", "our", "this", "that"];
            var determiner = random.Pick(determiners);
            return adjective is null ? $"{determiner} {noun}" : $"{determiner} {adjective} {noun}";
        });

    /// <summary>A short sentence with exactly one feeling word, positive or negative with equal probability.</summary>
    public static InputSource FeelingSentence() =>
        InputSource.Sampled(random =>
        {
            var feeling = random.Pick(random.Chance(1, 2) ? Words.PositiveFeelings : Words.NegativeFeelings);
            var name = random.Pick(Words.Names);
            var other = random.Pick(Words.Names.Where(n => n != name).ToList());
            var animal = random.Pick(Words.Animals);
            return random.Next(6) switch
            {
                0 => $"{name} is {feeling}",
                1 => $"{name} felt {feeling}",
                2 => $"the {animal} was {feeling}",
                3 => $"{name} was very {feeling} today",
                4 => $"the little {animal} looked {feeling}",
                _ => $"{name} and {other} were {feeling}",
            };
        });

    /// <summary>Every integer from <paramref name="min"/> to <paramref name="max"/>, as digits.</summary>
    public static InputSource NumberRange(int min, int max) =>
        InputSource.Finite(Enumerable.Range(min, max - min + 1).Select(NumberWords.Digits));

    /// <summary>Every number word from <paramref name="min"/> to <paramref name="max"/> (0–99).</summary>
    public static InputSource NumberWordRange(int min, int max) =>
        InputSource.Finite(Enumerable.Range(min, max - min + 1).Select(NumberWords.ToWords));

    /// <summary>
    /// Two or more integers in [0, <paramref name="max"/>] separated by spaces, drawn until <paramref name="accept"/> holds.
    /// </summary>
    public static InputSource Numbers(int count, int max, Func<int[], bool>? accept = null) =>
        InputSource.Sampled(random =>
        {
            while (true)
            {
                var numbers = new int[count];
                for (var i = 0; i < count; i++)
                {
                    numbers[i] = random.NextInclusive(0, max);
                }

                if (accept is null || accept(numbers))
                {
                    return string.Join(' ', numbers.Select(NumberWords.Digits));
                }
            }
        });

    /// <summary>Two integers in [0, <paramref name="max"/>]; about one pair in ten is equal, the rest differ.</summary>
    public static InputSource NumberPairSometimesEqual(int max) =>
        InputSource.Sampled(random =>
        {
            var a = random.NextInclusive(0, max);
            int b;
            if (random.Chance(1, 10))
            {
                b = a;
            }
            else
            {
                do
                {
                    b = random.NextInclusive(0, max);
                }
                while (b == a);
            }

            return NumberWords.Digits(a) + " " + NumberWords.Digits(b);
        });

    private static bool HasUniqueExtremes(List<string> words)
    {
        var max = words.Max(w => w.Length);
        var min = words.Min(w => w.Length);
        return words.Count(w => w.Length == max) == 1 && words.Count(w => w.Length == min) == 1;
    }
}
