using Text2Lora.TaskSuite.Inputs;
using Text2Lora.TaskSuite.Lexicon;
using Text2Lora.TaskSuite.V2.Lexicon;

namespace Text2Lora.TaskSuite.V2;

/// <summary>The input spaces of suite v2 that v1's <see cref="InputSamplers"/> does not have.</summary>
public static class SuiteV2Inputs
{
    /// <summary>One lowercase word of <paramref name="minLength"/>–<paramref name="maxLength"/> letters: half real words, half made-up.</summary>
    public static InputSource Word(int minLength, int maxLength)
    {
        var real = Words.AllLowercase.Where(w => w.Length >= minLength && w.Length <= maxLength).ToList();
        return InputSource.Sampled(random => real.Count > 0 && random.Chance(1, 2)
            ? random.Pick(real)
            : PseudoWords.Next(random, minLength, maxLength));
    }

    /// <summary><paramref name="minCount"/>–<paramref name="maxCount"/> distinct real words of 3–5 letters, space-separated.</summary>
    public static InputSource WordList(int minCount, int maxCount)
    {
        var pool = Words.AllLowercase.Where(w => w.Length is >= 3 and <= 5).ToList();
        return InputSource.Sampled(random =>
        {
            var count = random.NextInclusive(minCount, maxCount);
            var words = new List<string>(count);
            while (words.Count < count)
            {
                var word = random.Pick(pool);
                if (!words.Contains(word, StringComparer.Ordinal))
                {
                    words.Add(word);
                }
            }

            return string.Join(' ', words);
        });
    }

    /// <summary>
    /// Five distinct category words, space-separated: one or two from <paramref name="target"/>, the rest from
    /// other categories (so the filter's output is never empty and never the whole list).
    /// </summary>
    public static InputSource CategoryList(WordCategory target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var others = WordCategory.All.Where(c => c != target).SelectMany(c => c.Members).ToList();
        return InputSource.Sampled(random =>
        {
            var members = random.NextInclusive(1, 2);
            var words = new List<string>(5);
            while (words.Count < 5)
            {
                var word = random.Pick(words.Count < members ? target.Members : others);
                if (!words.Contains(word, StringComparer.Ordinal))
                {
                    words.Add(word);
                }
            }

            random.Shuffle(words);
            return string.Join(' ', words);
        });
    }
}
