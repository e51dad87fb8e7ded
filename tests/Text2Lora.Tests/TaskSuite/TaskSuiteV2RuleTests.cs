using System.Globalization;

namespace Text2Lora.Tests.TaskSuite;

/// <summary>
/// Suite v2's committed examples follow their task's rule, recomputed here from the task's <c>parameters:</c>
/// (independently of the generator's rule code) for every parameterised family.
/// </summary>
public sealed class TaskSuiteV2RuleTests
{
    // The parameters name separators and brackets (plain words keep metadata.yaml loadable by any YAML reader).
    private static readonly Dictionary<string, string> Separators = new()
    {
        ["dash"] = "-", ["comma"] = ",", ["dot"] = ".", ["underscore"] = "_", ["plus"] = "+", ["colon"] = ":", ["star"] = "*",
        ["bar"] = "|", ["hash"] = "#", ["slash"] = "/", ["equals"] = "=", ["tilde"] = "~", ["space"] = " ",
    };

    private static readonly Dictionary<string, (string Open, string Close)> Wrappers = new()
    {
        ["round"] = ("(", ")"), ["square"] = ("[", "]"), ["curly"] = ("{", "}"), ["angle"] = ("<", ">"),
        ["double_quotes"] = ("\"", "\""), ["single_quotes"] = ("'", "'"), ["stars"] = ("*", "*"), ["slashes"] = ("/", "/"),
    };

    private static SuiteFolder Suite => SuiteFolder.V2;

    public static TheoryData<string> ParameterisedTasks() =>
    [
        .. Suite.ManifestList("train").Concat(Suite.ManifestList("heldout_interpolation")).Concat(Suite.ManifestList("validation")),
    ];

    [Theory]
    [MemberData(nameof(ParameterisedTasks))]
    public void Examples_follow_the_rule_recomputed_from_the_parameters(string name)
    {
        var task = Suite.Task(name);
        var rule = Rule(task);

        Assert.All(task.AllExamples, e => Assert.Equal(rule(e.Input), e.Output));
    }

    [Fact]
    public void Hand_checked_examples()
    {
        Assert.Equal("148", Suite.Task("add_7").Test.Single(e => e.Input == "141").Output);
        Assert.Equal("f,e,g", Suite.Task("first_3_letters_joined_by_comma").Test.Single(e => e.Input == "fegigulu").Output);
        Assert.Equal("train tractor", Suite.Task("keep_vehicles").Test.Single(e => e.Input == "train cloud tractor hat pepper").Output);
    }

    private static Func<string, string> Rule(SuiteTask task)
    {
        int P(string key) => int.Parse(task.Parameters[key], CultureInfo.InvariantCulture);
        static int I(string s) => int.Parse(s, CultureInfo.InvariantCulture);
        static string S(int n) => n.ToString(CultureInfo.InvariantCulture);
        string Sep() => Separators[task.Parameters["separator"]];
        return task.Family switch
        {
            "add" => s => S(I(s) + P("k")),
            "subtract" => s => S(I(s) - P("k")),
            "multiply" => s => S(I(s) * P("k")),
            "remainder" => s => S(I(s) % P("k")),
            "divide" => s => S(I(s) / P("k")),
            "count_up" => s => $"{S(I(s) + P("k"))} {S(I(s) + 2 * P("k"))} {S(I(s) + 3 * P("k"))}",
            "nth_letter" => s => s.Substring(P("n") - 1, 1),
            "nth_last_letter" => s => s.Substring(s.Length - P("n"), 1),
            "first_letters" => s => s[..P("k")],
            "last_letters" => s => s[^P("k")..],
            "drop_first_letters" => s => s[P("k")..],
            "capitalize_letter" => s => s[..(P("n") - 1)] + s.Substring(P("n") - 1, 1).ToUpperInvariant() + s[P("n")..],
            "repeat_word" => s => string.Join(" ", Enumerable.Repeat(s, P("k"))),
            "spell_with" => s => string.Join(Sep(), s.Select(c => c.ToString())),
            "wrap_word" => s => Wrappers[task.Parameters["wrapper"]].Open + s + Wrappers[task.Parameters["wrapper"]].Close,
            "first_letters_joined" => s => string.Join(Sep(), s[..P("k")].Select(c => c.ToString())),
            "nth_word" => s => s.Split(' ')[P("n") - 1],
            "nth_last_word" => s => s.Split(' ')[^P("n")],
            "first_words" => s => string.Join(" ", s.Split(' ')[..P("k")]),
            "join_words" => s => string.Join(Sep(), s.Split(' ')),
            "keep_category" => s => KeptInOrder(s, task),
            _ => throw new InvalidOperationException($"{task.Name}: no recomputed rule for family '{task.Family}'."),
        };
    }

    // Membership itself is the lexicon's; what is checkable without it: the output keeps one or two of the input's
    // words in input order, never all, and the same words are kept wherever they occur in the task's examples.
    private static string KeptInOrder(string input, SuiteTask task)
    {
        var kept = task.AllExamples.SelectMany(e => e.Output.Split(' ')).ToHashSet(StringComparer.Ordinal);
        var words = input.Split(' ').Where(kept.Contains).ToList();
        Assert.InRange(words.Count, 1, 2);
        return string.Join(" ", words);
    }
}
