using System.Globalization;
using Text2Lora.TaskSuite.Inputs;
using Text2Lora.TaskSuite.Lexicon;
using Text2Lora.TaskSuite.Tasks;

namespace Text2Lora.TaskSuite.V2;

/// <summary>
/// Suite v2's new-family held-out tasks: kinds of task that no training task is an instance of (no reversal,
/// sorting, vowel rule, counting, comparison or sum is trained), over the training tasks' input spaces.
/// </summary>
public static class NewFamilies
{
    /// <summary>All new-family tasks.</summary>
    public static IEnumerable<SuiteV2Task> All()
    {
        var word = SuiteV2Inputs.Word(3, 8);
        var list = SuiteV2Inputs.WordList(3, 5);
        yield return Task("reverse_word", "the letters in reverse order", word, w => new string([.. w.Reverse()]), ["nth_last_letter_1", "spell_with_space"]);
        yield return Task("sort_letters", "the letters sorted a to z", word, w => new string([.. w.Order()]), ["spell_with_space"]);
        yield return Task("remove_vowels", "the word without a, e, i, o, u", word, w => new string([.. w.Where(c => !Letters.IsVowel(c))]), ["drop_first_2_letters"]);
        yield return Task("double_each_letter", "every letter written twice", SuiteV2Inputs.Word(3, 6),
            w => string.Concat(w.Select(c => new string(c, 2))), ["repeat_word_2_times", "spell_with_space"]);
        yield return Task("uppercase_word", "the word in capital letters", word, w => w.ToUpperInvariant(), ["capitalize_letter_1"]);
        yield return Task("word_length", "the number of letters", word, w => Digits(w.Length), ["nth_last_letter_1"], TaskScoring.Numeric);
        yield return Task("count_words", "the number of words", SuiteV2Inputs.WordList(2, 7), l => Digits(l.Split(' ').Length), ["nth_word_1"], TaskScoring.Numeric);
        yield return Task("reverse_word_order", "the words in reverse order", list, l => string.Join(' ', l.Split(' ').Reverse()), ["nth_last_word_1", "first_2_words"]);
        yield return Task("sum_of_two", "a + b (a, b = 0-99)", InputSamplers.Numbers(2, 99), n => Digits(n.Split(' ').Sum(Int)), ["add_1"], TaskScoring.Numeric);
        yield return Task("max_of_three", "the largest of three different numbers (0-99)", InputSamplers.Numbers(3, 99, n => n.Distinct().Count() == 3),
            n => Digits(n.Split(' ').Max(Int)), ["add_1"], TaskScoring.Numeric);
    }

    private static SuiteV2Task Task(string name, string summary, InputSource inputs, Func<string, string> rule, IReadOnlyList<string> related,
        TaskScoring scoring = TaskScoring.Exact) =>
        new(new TaskSpec(name, name, TaskSplit.Heldout, scoring, summary, inputs, rule)
        {
            HeldoutGroup = HeldoutGroups.NewFamily,
            RelatedTo = related,
            TestSize = SuiteV2Settings.TestSize,
            TrainSize = SuiteV2Settings.TrainSize,
        }, name, new Dictionary<string, IReadOnlyList<string>>());

    private static int Int(string s) => int.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture);

    private static string Digits(int n) => n.ToString(CultureInfo.InvariantCulture);
}
