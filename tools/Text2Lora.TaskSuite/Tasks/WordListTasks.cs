using System.Globalization;
using Text2Lora.TaskSuite.Inputs;

namespace Text2Lora.TaskSuite.Tasks;

/// <summary>The "word_lists" family: a few space-separated words in, a word, a count or a rearranged list out.</summary>
public static class WordListTasks
{
    /// <summary>Family name in the metadata.</summary>
    public const string Family = "word_lists";

    /// <summary>All tasks of the family, training and held-out.</summary>
    public static IEnumerable<TaskSpec> All()
    {
        var list = InputSamplers.WordList();

        yield return Train("first_word", "the first word", list, l => Split(l)[0]);
        yield return Train("last_word", "the last word", list, l => Split(l)[^1]);
        yield return Train("second_word", "the second word", list, l => Split(l)[1]);
        yield return Train("count_words", "the number of words", InputSamplers.WordList(2, 7),
            l => Split(l).Length.ToString(CultureInfo.InvariantCulture), TaskScoring.Numeric);
        yield return Train("reverse_word_order", "the words in reverse order", list, l => string.Join(' ', Split(l).Reverse()));
        yield return Train("sort_words", "the words in alphabetical order", list, l => string.Join(' ', Split(l).Order(StringComparer.Ordinal)));
        yield return Train("initials", "the first letters of the words, joined", list, l => string.Concat(Split(l).Select(w => w[0])));
        yield return Train("longest_word", "the longest word (always unique)", InputSamplers.WordList(uniqueLength: true),
            l => Split(l).MaxBy(w => w.Length)!);
        yield return Train("capitalize_each_word", "every word with a capital first letter", list,
            l => string.Join(' ', Split(l).Select(w => w[..1].ToUpperInvariant() + w[1..])));

        yield return new TaskSpec("last_letters_of_words", Family, TaskSplit.Heldout, TaskScoring.Exact,
            "the last letters of the words, joined", list, l => string.Concat(Split(l).Select(w => w[^1])))
        {
            RelatedTo = ["initials", "last_letter", "last_word"],
        };
        yield return new TaskSpec("third_word", Family, TaskSplit.Heldout, TaskScoring.Exact,
            "the third word", list, l => Split(l)[2])
        {
            RelatedTo = ["first_word", "second_word", "last_word"],
        };
    }

    private static TaskSpec Train(string name, string summary, InputSource inputs, Func<string, string> rule, TaskScoring scoring = TaskScoring.Exact) =>
        new(name, Family, TaskSplit.Train, scoring, summary, inputs, rule);

    private static string[] Split(string list) => list.Split(' ');
}
