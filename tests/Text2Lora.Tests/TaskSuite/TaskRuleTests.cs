using System.Globalization;
using Text2Lora.Tests.Infrastructure;

namespace Text2Lora.Tests.TaskSuite;

/// <summary>
/// Every committed example of representative tasks equals what an independent re-implementation of the task's
/// rule, written here by hand, gives for its input. None of these use the generator's code.
/// </summary>
[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class TaskRuleTests
{
    private static readonly string[] Units =
    [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    ];

    private static readonly string[] Tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];

    public static TheoryData<string> StringTasks() =>
    [
        "reverse_word", "uppercase_word", "capitalize_word", "first_letter", "last_two_letters", "drop_first_letter",
        "repeat_word_three_times", "sort_letters", "remove_vowels", "double_each_letter", "spell_with_dashes", "word_length",
        "count_vowels", "plural_noun", "reverse_then_uppercase", "reverse_with_dashes", "first_three_letters",
        "repeat_word_four_times", "uppercase_first_letter",
        "second_word", "count_words", "reverse_word_order", "sort_words", "initials", "longest_word", "capitalize_each_word",
        "last_letters_of_words", "third_word",
        "add_one", "add_five", "add_three", "subtract_two", "double_number", "add_two_numbers", "subtract_two_numbers",
        "max_of_two", "min_of_two", "max_of_three", "number_to_word", "word_to_number", "next_number_word",
        "parity", "is_even", "greater_than_hundred", "compare_numbers", "first_letter_vowel_or_consonant", "starts_with_vowel",
    ];

    [Theory]
    [MemberData(nameof(StringTasks))]
    public void Every_example_follows_the_hand_written_rule(string name)
    {
        var rule = Rule(name);
        var task = CommittedSuite.Task(name);

        var wrong = task.AllExamples.Where(e => rule(e.Input) != e.Output).Select(e => $"{e.Input} -> {e.Output}").Take(5).ToList();

        Assert.Empty(wrong);
        Assert.NotEmpty(task.Test);
    }

    [Fact]
    public void Known_examples_of_the_number_words_and_plural_rules()
    {
        Assert.Equal("thirty seven", Rule("number_to_word")("37"));
        Assert.Equal("twenty", Rule("next_number_word")("19"));
        Assert.Equal(99, int.Parse(Rule("word_to_number")("ninety nine"), CultureInfo.InvariantCulture));
        Assert.Equal("boxes", Rule("plural_noun")("box"));
        Assert.Equal("bunnies", Rule("plural_noun")("bunny"));
        Assert.Equal("keys", Rule("plural_noun")("key"));
        Assert.Equal("TAC", Rule("reverse_then_uppercase")("cat"));
    }

    [Fact]
    public void Sentiment_labels_follow_the_feeling_word_consistently()
    {
        var task = CommittedSuite.Task("sentence_sentiment");
        // The feeling is the last word, or the word before "today".
        static string Feeling(string sentence)
        {
            var words = sentence.Split(' ');
            return words[^1] == "today" ? words[^2] : words[^1];
        }

        var labelsByFeeling = task.AllExamples.GroupBy(e => Feeling(e.Input)).ToDictionary(g => g.Key, g => g.Select(e => e.Output).Distinct().ToList());

        Assert.All(labelsByFeeling, kv => Assert.Single(kv.Value));
        Assert.Equal("positive", labelsByFeeling["happy"].Single());
        Assert.Equal("negative", labelsByFeeling["sad"].Single());
        Assert.Equal("negative", labelsByFeeling["angry"].Single());
        Assert.Equal("positive", labelsByFeeling["kind"].Single());
    }

    [Fact]
    public void Noun_labels_agree_across_the_four_category_tasks_and_with_known_nouns()
    {
        // The noun is the last word of the phrase. Collect its category from the three-way task, then check the others.
        var category = CommittedSuite.Task("noun_category").AllExamples
            .GroupBy(e => e.Input.Split(' ')[^1])
            .ToDictionary(g => g.Key, g => g.Select(e => e.Output).Distinct().Single());

        Assert.Equal("animal", category["cat"]);
        Assert.Equal("food", category["apple"]);
        Assert.Equal("object", category["ball"]);
        var checkedExamples = 0;
        var allExamples = 0;
        foreach (var (task, expected) in new (string, Func<string, string>)[]
        {
            ("is_animal", c => c == "animal" ? "yes" : "no"),
            ("is_food", c => c == "food" ? "yes" : "no"),
            ("animal_or_object", c => c),
        })
        {
            foreach (var (input, output) in CommittedSuite.Task(task).AllExamples)
            {
                allExamples++;
                if (category.TryGetValue(input.Split(' ')[^1], out var c))
                {
                    Assert.Equal(expected(c), output);
                    checkedExamples++;
                }
            }
        }

        // Nearly every noun of these tasks also occurs in noun_category, so this check covers most of their examples.
        Assert.True(checkedExamples > 0.9 * allExamples, $"{checkedExamples} of {allExamples} examples checked");
    }

    [Fact]
    public void Colour_task_answers_the_one_colour_word_of_the_phrase()
    {
        string[] colours = ["red", "blue", "green", "yellow", "pink", "purple", "orange", "brown", "black", "white", "gray"];

        foreach (var (input, output) in CommittedSuite.Task("color_in_phrase").AllExamples)
        {
            Assert.Equal(input.Split(' ').Where(colours.Contains).Single(), output);
        }
    }

    private static Func<string, string> Rule(string name) => name switch
    {
        "reverse_word" => w => new string([.. w.Reverse()]),
        "uppercase_word" => w => w.ToUpperInvariant(),
        "capitalize_word" => w => char.ToUpperInvariant(w[0]) + w[1..],
        "first_letter" => w => w[..1],
        "last_two_letters" => w => w.Substring(w.Length - 2),
        "drop_first_letter" => w => w[1..],
        "repeat_word_three_times" => w => $"{w} {w} {w}",
        "sort_letters" => w => new string([.. w.OrderBy(c => c)]),
        "remove_vowels" => w => new string([.. w.Where(c => !"aeiou".Contains(c))]),
        "double_each_letter" => w => string.Concat(w.Select(c => $"{c}{c}")),
        "spell_with_dashes" => w => string.Join("-", w.Select(c => c.ToString())),
        "word_length" => w => Str(w.Length),
        "count_vowels" => w => Str(w.Count(c => "aeiou".Contains(c))),
        "plural_noun" => Plural,
        "reverse_then_uppercase" => w => new string([.. w.ToUpperInvariant().Reverse()]),
        "reverse_with_dashes" => w => string.Join("-", w.Reverse().Select(c => c.ToString())),
        "first_three_letters" => w => w[..3],
        "repeat_word_four_times" => w => $"{w} {w} {w} {w}",
        "uppercase_first_letter" => w => w[..1].ToUpperInvariant(),
        "second_word" => l => Words(l)[1],
        "count_words" => l => Str(Words(l).Length),
        "reverse_word_order" => l => string.Join(" ", Words(l).Reverse()),
        "sort_words" => l => string.Join(" ", Words(l).OrderBy(w => w, StringComparer.Ordinal)),
        "initials" => l => string.Concat(Words(l).Select(w => w[0])),
        "longest_word" => l => Words(l).OrderByDescending(w => w.Length).First(),
        "capitalize_each_word" => l => string.Join(" ", Words(l).Select(w => char.ToUpperInvariant(w[0]) + w[1..])),
        "last_letters_of_words" => l => string.Concat(Words(l).Select(w => w[^1])),
        "third_word" => l => Words(l)[2],
        "add_one" => n => Str(Int(n) + 1),
        "add_five" => n => Str(Int(n) + 5),
        "add_three" => n => Str(Int(n) + 3),
        "subtract_two" => n => Str(Int(n) - 2),
        "double_number" => n => Str(Int(n) * 2),
        "add_two_numbers" => n => Str(Ints(n)[0] + Ints(n)[1]),
        "subtract_two_numbers" => n => Str(Ints(n)[0] - Ints(n)[1]),
        "max_of_two" or "max_of_three" => n => Str(Ints(n).Max()),
        "min_of_two" => n => Str(Ints(n).Min()),
        "number_to_word" => n => NumberWord(Int(n)),
        "word_to_number" => w => Str(Enumerable.Range(0, 100).Single(i => NumberWord(i) == w)),
        "next_number_word" => n => NumberWord(Int(n) + 1),
        "parity" => n => Int(n) % 2 == 0 ? "even" : "odd",
        "is_even" => n => Int(n) % 2 == 0 ? "yes" : "no",
        "greater_than_hundred" => n => Int(n) > 100 ? "yes" : "no",
        "compare_numbers" => n => Ints(n)[0].CompareTo(Ints(n)[1]) switch { > 0 => "bigger", < 0 => "smaller", _ => "same" },
        "first_letter_vowel_or_consonant" => w => "aeiou".Contains(w[0]) ? "vowel" : "consonant",
        "starts_with_vowel" => w => "aeiou".Contains(w[0]) ? "yes" : "no",
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no hand-written rule"),
    };

    private static string Plural(string noun)
    {
        if (noun.EndsWith("s", StringComparison.Ordinal) || noun.EndsWith("x", StringComparison.Ordinal) || noun.EndsWith("z", StringComparison.Ordinal)
            || noun.EndsWith("ch", StringComparison.Ordinal) || noun.EndsWith("sh", StringComparison.Ordinal))
        {
            return noun + "es";
        }

        return noun.EndsWith("y", StringComparison.Ordinal) && !"aeiou".Contains(noun[^2]) ? noun[..^1] + "ies" : noun + "s";
    }

    private static string NumberWord(int n) => n < 20 ? Units[n] : n % 10 == 0 ? Tens[n / 10] : $"{Tens[n / 10]} {Units[n % 10]}";

    private static string[] Words(string list) => list.Split(' ');

    private static int Int(string s) => int.Parse(s, CultureInfo.InvariantCulture);

    private static int[] Ints(string s) => [.. Words(s).Select(Int)];

    private static string Str(int n) => n.ToString(CultureInfo.InvariantCulture);
}
