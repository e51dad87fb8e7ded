using System.Globalization;
using System.Text.RegularExpressions;

namespace Text2Lora.Tasks;

/// <summary>The task suite's scoring rules (see <c>data/task-suite/README.md</c>).</summary>
public static partial class TaskScoringRules
{
    /// <summary>Whether <paramref name="generated"/> is a correct answer for <paramref name="expected"/> under <paramref name="scoring"/>.</summary>
    public static bool IsCorrect(TaskScoring scoring, string generated, string expected)
    {
        ArgumentNullException.ThrowIfNull(generated);
        ArgumentNullException.ThrowIfNull(expected);
        return scoring switch
        {
            TaskScoring.Exact => string.Equals(generated.Trim(), expected.Trim(), StringComparison.Ordinal),
            TaskScoring.Numeric => FirstInteger(generated) is { } answer && FirstInteger(expected) is { } gold && answer == gold,
            _ => throw new ArgumentOutOfRangeException(nameof(scoring), scoring, "unknown scoring rule"),
        };
    }

    /// <summary>The first integer (optionally negative) in <paramref name="text"/>, or null when there is none.</summary>
    public static long? FirstInteger(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var match = IntegerPattern().Match(text);
        return match.Success && long.TryParse(match.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null;
    }

    [GeneratedRegex(@"-?\d+", RegexOptions.CultureInvariant)]
    private static partial Regex IntegerPattern();
}
