using System.Globalization;
using Text2Lora.TaskSuite.Inputs;
using Text2Lora.TaskSuite.Lexicon;
using Text2Lora.TaskSuite.Tasks;

namespace Text2Lora.TaskSuite.V2;

/// <summary>Suite v2's number families: one whole number in, a number (or three) out, with a constant k.</summary>
public static class NumberFamilies
{
    /// <summary>All tasks of the number families.</summary>
    public static IEnumerable<SuiteV2Task> All() =>
    [
        .. ParameterizedFamily.Build("add", Range(1, 50), [7, 13, 22, 37], [18, 44], k =>
            Numeric($"add_{k}", $"n + {k} (n = 0-299)", InputSamplers.NumberRange(0, 299), n => Digits(n + k), k)),
        .. ParameterizedFamily.Build("subtract", Range(1, 50), [4, 16, 25, 41], [11, 33], k =>
            Numeric($"subtract_{k}", $"n - {k} (n = 50-349)", InputSamplers.NumberRange(50, 349), n => Digits(n - k), k)),
        .. ParameterizedFamily.Build("multiply", Range(2, 15), [7, 13], [11], k =>
            Numeric($"multiply_by_{k}", $"n * {k} (n = 0-199)", InputSamplers.NumberRange(0, 199), n => Digits(n * k), k)),
        .. ParameterizedFamily.Build("remainder", Range(2, 15), [6, 13], [9], k =>
            Numeric($"remainder_by_{k}", $"n mod {k} (n = 0-399)", InputSamplers.NumberRange(0, 399), n => Digits(n % k), k)),
        .. ParameterizedFamily.Build("divide", Range(2, 15), [5, 12], [8], k =>
            Numeric($"divide_by_{k}", $"n div {k}, rounded down (n = 0-399)", InputSamplers.NumberRange(0, 399), n => Digits(n / k), k)),
        .. ParameterizedFamily.Build("count_up", Range(1, 12), [5], [9], k =>
            Numeric($"count_up_by_{k}", $"n + {k}, n + {2 * k}, n + {3 * k}, space-separated (n = 0-199)", InputSamplers.NumberRange(0, 199),
                n => $"{Digits(n + k)} {Digits(n + 2 * k)} {Digits(n + 3 * k)}", k) with { Scoring = TaskScoring.Exact }),
    ];

    /// <summary>The renderings of a whole number in a description: digits, then words.</summary>
    public static IReadOnlyList<string> Cardinal(int k) => [NumberWords.Digits(k), NumberWords.ToWords(k)];

    /// <summary>The integers <paramref name="min"/>–<paramref name="max"/>.</summary>
    public static List<int> Range(int min, int max) => [.. Enumerable.Range(min, max - min + 1)];

    private static FamilyMember Numeric(string name, string summary, InputSource inputs, Func<int, string> rule, int k) =>
        new(name, summary, inputs, s => rule(int.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture)),
            new Dictionary<string, string> { ["k"] = NumberWords.Digits(k) },
            new Dictionary<string, IReadOnlyList<string>> { ["k"] = Cardinal(k) })
        {
            Scoring = TaskScoring.Numeric,
        };

    private static string Digits(int n) => NumberWords.Digits(n);
}
