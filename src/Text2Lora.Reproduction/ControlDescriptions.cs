using System.Text.RegularExpressions;
using Text2Lora.Tasks;

namespace Text2Lora.Reproduction;

/// <summary>
/// The descriptions of the T2L control rows (the paper's check that the adapter depends on what the description says):
/// for each task, the descriptions of a training task of another family ("unrelated"), and strings of random words drawn
/// from the training descriptions' vocabulary ("random"). Seeded, so reruns ask the same.
/// </summary>
internal sealed partial class ControlDescriptions
{
    private const int MinimumWords = 4;
    private const int MaximumWords = 12;

    private readonly Dictionary<string, TrainingTask> _unrelated = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<string>> _random = new(StringComparer.Ordinal);

    /// <summary>Chooses the controls for every task in <paramref name="tasks"/> (in order) from <paramref name="trainingTasks"/>.</summary>
    public ControlDescriptions(IReadOnlyList<TrainingTask> tasks, IReadOnlyList<TrainingTask> trainingTasks, int seed)
    {
        var vocabulary = trainingTasks.SelectMany(t => t.Descriptions)
            .SelectMany(d => Word().Matches(d.ToLowerInvariant()).Select(m => m.Value))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var random = new Random(seed);
        foreach (var task in tasks)
        {
            var others = trainingTasks.Where(t => t.Family is null || t.Family != task.Family).Where(t => t.Name != task.Name).ToList();
            if (others.Count == 0)
            {
                throw new InvalidOperationException($"No training task of a family other than '{task.Family}' to take unrelated descriptions from for '{task.Name}'.");
            }

            _unrelated[task.Name] = others[random.Next(others.Count)];
            _random[task.Name] = Enumerable.Range(0, task.Descriptions.Count)
                .Select(_ => RandomSentence(vocabulary, random))
                .ToList();
        }
    }

    /// <summary>The training task whose descriptions stand in for <paramref name="task"/>'s.</summary>
    public TrainingTask UnrelatedTask(string task) => _unrelated[task];

    /// <summary>The unrelated description for test item <paramref name="index"/> of <paramref name="task"/>.</summary>
    public string Unrelated(string task, int index)
    {
        var descriptions = _unrelated[task].Descriptions;
        return descriptions[index % descriptions.Count];
    }

    /// <summary>The random description for test item <paramref name="index"/> of <paramref name="task"/>.</summary>
    public string Random(string task, int index)
    {
        var descriptions = _random[task];
        return descriptions[index % descriptions.Count];
    }

    private static string RandomSentence(IReadOnlyList<string> vocabulary, Random random)
    {
        var words = Enumerable.Range(0, random.Next(MinimumWords, MaximumWords + 1)).Select(_ => vocabulary[random.Next(vocabulary.Count)]).ToArray();
        words[0] = char.ToUpperInvariant(words[0][0]) + words[0][1..];
        return string.Join(' ', words) + ".";
    }

    [GeneratedRegex("[a-z]+", RegexOptions.CultureInvariant)]
    private static partial Regex Word();
}
