using System.Globalization;
using Text2Lora.TaskSuite.Inputs;
using Text2Lora.TaskSuite.Lexicon;

namespace Text2Lora.TaskSuite.Tasks;

/// <summary>The "letters" family: one word in, a transformed string (or a count) out.</summary>
public static class LetterTasks
{
    /// <summary>Family name in the metadata.</summary>
    public const string Family = "letters";

    /// <summary>All tasks of the family, training and held-out.</summary>
    public static IEnumerable<TaskSpec> All()
    {
        var word = InputSamplers.SingleWord();
        var shortWord = InputSamplers.SingleWord(3, 5);

        yield return Train("reverse_word", "the letters in reverse order", word, Reverse);
        yield return Train("uppercase_word", "the word in capital letters", word, Upper);
        yield return Train("capitalize_word", "first letter capitalized", word, w => Upper(w[..1]) + w[1..]);
        yield return Train("first_letter", "the first letter", word, w => w[..1]);
        yield return Train("last_letter", "the last letter", word, w => w[^1..]);
        yield return Train("first_two_letters", "the first two letters", word, w => w[..2]);
        yield return Train("last_two_letters", "the last two letters", word, w => w[^2..]);
        yield return Train("drop_first_letter", "the word without its first letter", word, w => w[1..]);
        yield return Train("drop_last_letter", "the word without its last letter", word, w => w[..^1]);
        yield return Train("repeat_word_twice", "the word twice, space-separated", word, w => Repeat(w, 2));
        yield return Train("repeat_word_three_times", "the word three times, space-separated", shortWord, w => Repeat(w, 3));
        yield return Train("sort_letters", "the letters sorted a to z", word, w => new string([.. w.Order()]));
        yield return Train("remove_vowels", "the word without a, e, i, o, u", word, w => new string([.. w.Where(c => !Letters.IsVowel(c))]));
        yield return Train("double_each_letter", "every letter written twice", shortWord, w => string.Concat(w.Select(c => new string(c, 2))));
        yield return Train("spell_with_dashes", "the letters joined by dashes", word, w => string.Join('-', w.ToCharArray()));
        yield return Train("spell_with_spaces", "the letters separated by spaces", word, w => string.Join(' ', w.ToCharArray()));
        yield return Train("word_length", "the number of letters", word, w => Count(w.Length), TaskScoring.Numeric);
        yield return Train("count_vowels", "the number of vowels (a, e, i, o, u)", word, w => Count(w.Count(Letters.IsVowel)), TaskScoring.Numeric);
        yield return Train("plural_noun", "the regular English plural (-s, -es, -ies)", InputSamplers.RegularNoun(), Plural);

        yield return Heldout("reverse_then_uppercase", "the reversed word in capital letters", word, w => Upper(Reverse(w)),
            ["reverse_word", "uppercase_word"]);
        yield return Heldout("reverse_with_dashes", "the letters in reverse order joined by dashes", word, w => string.Join('-', Reverse(w).ToCharArray()),
            ["reverse_word", "spell_with_dashes"]);
        yield return Heldout("first_three_letters", "the first three letters", InputSamplers.SingleWord(4, 7), w => w[..3],
            ["first_letter", "first_two_letters"]);
        yield return Heldout("repeat_word_four_times", "the word four times, space-separated", shortWord, w => Repeat(w, 4),
            ["repeat_word_twice", "repeat_word_three_times"]);
        yield return Heldout("uppercase_first_letter", "the first letter as a capital", word, w => Upper(w[..1]),
            ["first_letter", "uppercase_word", "capitalize_word"]);
    }

    /// <summary>The regular plural: -es after s, x, z, ch, sh; -ies after consonant + y; otherwise -s.</summary>
    public static string Plural(string noun)
    {
        ArgumentNullException.ThrowIfNull(noun);
        if (noun.EndsWith('s') || noun.EndsWith('x') || noun.EndsWith('z')
            || noun.EndsWith("ch", StringComparison.Ordinal) || noun.EndsWith("sh", StringComparison.Ordinal))
        {
            return noun + "es";
        }

        if (noun.Length >= 2 && noun[^1] == 'y' && !Letters.IsVowel(noun[^2]))
        {
            return noun[..^1] + "ies";
        }

        return noun + "s";
    }

    private static TaskSpec Train(string name, string summary, InputSource inputs, Func<string, string> rule, TaskScoring scoring = TaskScoring.Exact) =>
        new(name, Family, TaskSplit.Train, scoring, summary, inputs, rule);

    private static TaskSpec Heldout(string name, string summary, InputSource inputs, Func<string, string> rule, IReadOnlyList<string> related) =>
        new(name, Family, TaskSplit.Heldout, TaskScoring.Exact, summary, inputs, rule) { RelatedTo = related };

    private static string Reverse(string w)
    {
        var letters = w.ToCharArray();
        Array.Reverse(letters);
        return new string(letters);
    }

    private static string Upper(string w) => w.ToUpperInvariant();

    private static string Repeat(string w, int times) => string.Join(' ', Enumerable.Repeat(w, times));

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);
}
