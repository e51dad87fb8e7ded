using System.Globalization;
using Text2Lora.TaskSuite.Inputs;
using Text2Lora.TaskSuite.Lexicon;

namespace Text2Lora.TaskSuite.Tasks;

/// <summary>The "arithmetic" family: small whole numbers in, a number (digits or words) out.</summary>
public static class ArithmeticTasks
{
    /// <summary>Family name in the metadata.</summary>
    public const string Family = "arithmetic";

    /// <summary>All tasks of the family, training and held-out.</summary>
    public static IEnumerable<TaskSpec> All()
    {
        var pair = InputSamplers.Numbers(2, 99);
        var distinctPair = InputSamplers.Numbers(2, 99, n => n[0] != n[1]);

        yield return AddConstant("add_one", 1, TaskSplit.Train);
        yield return AddConstant("add_two", 2, TaskSplit.Train);
        yield return AddConstant("add_five", 5, TaskSplit.Train);
        yield return AddConstant("add_ten", 10, TaskSplit.Train);
        yield return Numeric("subtract_one", "n - 1", InputSamplers.NumberRange(1, 499), n => Digits(Ints(n)[0] - 1));
        yield return Numeric("subtract_two", "n - 2", InputSamplers.NumberRange(2, 499), n => Digits(Ints(n)[0] - 2));
        yield return Numeric("double_number", "2 * n", InputSamplers.NumberRange(0, 249), n => Digits(Ints(n)[0] * 2));
        yield return Numeric("add_two_numbers", "a + b", pair, n => Digits(Ints(n).Sum()));
        yield return Numeric("subtract_two_numbers", "a - b (a >= b)", InputSamplers.Numbers(2, 99, n => n[0] >= n[1]),
            n => Digits(Ints(n)[0] - Ints(n)[1]));
        yield return Numeric("max_of_two", "the larger of two different numbers", distinctPair, n => Digits(Ints(n).Max()));
        yield return Numeric("min_of_two", "the smaller of two different numbers", distinctPair, n => Digits(Ints(n).Min()));
        yield return new TaskSpec("number_to_word", Family, TaskSplit.Train, TaskScoring.Exact, "digits to English words (0-99)",
            InputSamplers.NumberRange(0, 99), n => NumberWords.ToWords(Ints(n)[0]))
        { TestSize = 25 };
        yield return new TaskSpec("word_to_number", Family, TaskSplit.Train, TaskScoring.Numeric, "English words to digits (0-99)",
            InputSamplers.NumberWordRange(0, 99), w => Digits(NumberWords.FromWords(w)))
        { TestSize = 25 };

        yield return AddConstant("add_three", 3, TaskSplit.Heldout) with { RelatedTo = ["add_one", "add_two", "add_five", "add_ten"] };
        yield return new TaskSpec("next_number_word", Family, TaskSplit.Heldout, TaskScoring.Exact, "n + 1 in English words (0-98)",
            InputSamplers.NumberRange(0, 98), n => NumberWords.ToWords(Ints(n)[0] + 1))
        {
            RelatedTo = ["add_one", "number_to_word"],
            TestSize = 25,
        };
        yield return new TaskSpec("max_of_three", Family, TaskSplit.Heldout, TaskScoring.Numeric, "the largest of three different numbers",
            InputSamplers.Numbers(3, 99, n => n.Distinct().Count() == 3), n => Digits(Ints(n).Max()))
        {
            RelatedTo = ["max_of_two", "min_of_two"],
        };
    }

    private static TaskSpec AddConstant(string name, int k, TaskSplit split) =>
        new(name, Family, split, TaskScoring.Numeric, $"n + {k}", InputSamplers.NumberRange(0, 499), n => Digits(Ints(n)[0] + k));

    private static TaskSpec Numeric(string name, string summary, InputSource inputs, Func<string, string> rule) =>
        new(name, Family, TaskSplit.Train, TaskScoring.Numeric, summary, inputs, rule);

    private static int[] Ints(string input) =>
        [.. input.Split(' ').Select(s => int.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture))];

    private static string Digits(int n) => NumberWords.Digits(n);
}
