using System.Globalization;
using Text2Lora.TaskSuite.Inputs;

namespace Text2Lora.TaskSuite.Tasks;

/// <summary>The "number_facts" family: numbers in, a label from a fixed set out.</summary>
public static class NumberFactTasks
{
    /// <summary>Family name in the metadata.</summary>
    public const string Family = "number_facts";

    /// <summary>All tasks of the family, training and held-out.</summary>
    public static IEnumerable<TaskSpec> All()
    {
        var numbers = InputSamplers.NumberRange(0, 499);

        yield return Classify("parity", "even or odd", numbers, n => Int(n) % 2 == 0 ? "even" : "odd", ["even", "odd"]);
        yield return Classify("greater_than_hundred", "yes if n > 100, else no (0-199)", InputSamplers.NumberRange(0, 199),
            n => Int(n) > 100 ? "yes" : "no", ["yes", "no"]);
        yield return Classify("compare_numbers", "is the first number bigger than, smaller than or the same as the second",
            InputSamplers.NumberPairSometimesEqual(99), Compare, ["bigger", "smaller", "same"]);

        yield return Classify("is_even", "yes if n is even, else no", numbers, n => Int(n) % 2 == 0 ? "yes" : "no", ["yes", "no"])
            with
        {
            Split = TaskSplit.Heldout,
            RelatedTo = ["parity", "greater_than_hundred"],
        };
    }

    private static string Compare(string pair)
    {
        var parts = pair.Split(' ');
        var a = Int(parts[0]);
        var b = Int(parts[1]);
        return a > b ? "bigger" : a < b ? "smaller" : "same";
    }

    private static TaskSpec Classify(string name, string summary, InputSource inputs, Func<string, string> rule, IReadOnlyList<string> labels) =>
        new(name, Family, TaskSplit.Train, TaskScoring.Exact, summary, inputs, rule) { Labels = labels };

    private static int Int(string s) => int.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture);
}
