using System.Globalization;
using System.Text.RegularExpressions;
using Text2Lora.Tests.Infrastructure;

namespace Text2Lora.Tests.TaskSuite;

/// <summary>Properties of the committed suite, read from the files.</summary>
[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed partial class TaskSuiteDataTests
{
    public static TheoryData<string> AllTaskNames() => [.. CommittedSuite.AllTasks];

    [Fact]
    public void Manifest_lists_at_least_40_training_and_10_heldout_tasks_and_every_folder()
    {
        var train = CommittedSuite.TrainTasks;
        var heldout = CommittedSuite.HeldoutTasks;

        Assert.True(train.Count >= 40, $"{train.Count} training tasks");
        Assert.True(heldout.Count >= 10, $"{heldout.Count} held-out tasks");
        Assert.Empty(train.Intersect(heldout));
        var folders = Directory.EnumerateDirectories(CommittedSuite.Root).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(CommittedSuite.AllTasks.Order(StringComparer.Ordinal), folders);
    }

    [Theory]
    [MemberData(nameof(AllTaskNames))]
    public void Task_metadata_agrees_with_the_manifest(string name)
    {
        var task = CommittedSuite.Task(name);

        Assert.Equal(name, task.Name);
        Assert.Equal(CommittedSuite.TrainTasks.Contains(name) ? "train" : "heldout", task.Split);
        Assert.Contains(task.Scoring, new[] { "exact", "numeric" });
        Assert.Contains(task.Family, new[] { "letters", "word_lists", "arithmetic", "number_facts", "categories" });
    }

    [Theory]
    [MemberData(nameof(AllTaskNames))]
    public void Task_has_at_least_16_distinct_descriptions(string name)
    {
        var descriptions = CommittedSuite.Task(name).Descriptions;

        Assert.True(descriptions.Count >= 16, $"{name}: {descriptions.Count} descriptions");
        Assert.Equal(descriptions.Count, descriptions.Select(Normalize).Distinct().Count());
        Assert.All(descriptions, d => Assert.False(string.IsNullOrWhiteSpace(d)));
    }

    [Theory]
    [MemberData(nameof(AllTaskNames))]
    public void Task_has_both_splits_with_distinct_inputs_and_no_test_input_in_train(string name)
    {
        var task = CommittedSuite.Task(name);

        Assert.True(task.Train.Count >= 50, $"{name}: {task.Train.Count} train examples");
        Assert.True(task.Test.Count >= 20, $"{name}: {task.Test.Count} test examples");
        Assert.Equal(task.Train.Count, task.Train.Select(e => e.Input).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(task.Test.Count, task.Test.Select(e => e.Input).Distinct(StringComparer.Ordinal).Count());
        var train = task.Train.Select(e => e.Input).ToHashSet(StringComparer.Ordinal);
        Assert.DoesNotContain(task.Test, e => train.Contains(e.Input));
    }

    [Theory]
    [MemberData(nameof(AllTaskNames))]
    public void Task_outputs_are_short_trimmed_and_fit_the_scoring(string name)
    {
        var task = CommittedSuite.Task(name);

        foreach (var (input, output) in task.AllExamples)
        {
            Assert.True(input.Length is > 0 and <= 48 && input == input.Trim(), $"{name}: input '{input}'");
            Assert.True(output.Length is > 0 and <= 48 && output == output.Trim(), $"{name}: output '{output}' for '{input}'");
            if (task.Scoring == "numeric")
            {
                Assert.True(int.TryParse(output, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _), $"{name}: '{output}'");
            }

            if (task.Labels.Count > 0)
            {
                Assert.Contains(output, task.Labels);
            }
        }
    }

    [Theory]
    [MemberData(nameof(AllTaskNames))]
    public void Classification_labels_are_all_used_and_none_dominates(string name)
    {
        var task = CommittedSuite.Task(name);
        if (task.Labels.Count == 0)
        {
            return;
        }

        var counts = task.AllExamples.GroupBy(e => e.Output).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(task.Labels.Order(StringComparer.Ordinal), counts.Keys.Order(StringComparer.Ordinal));
        var largestShare = counts.Values.Max() / (double)counts.Values.Sum();
        Assert.True(largestShare < 0.7, $"{name}: the most frequent label covers {largestShare:P0} of the examples");
    }

    [Fact]
    public void Heldout_descriptions_never_appear_among_training_descriptions()
    {
        var training = CommittedSuite.TrainTasks
            .SelectMany(t => CommittedSuite.Task(t).Descriptions)
            .Select(Normalize)
            .ToHashSet(StringComparer.Ordinal);

        var leaked = CommittedSuite.HeldoutTasks
            .SelectMany(t => CommittedSuite.Task(t).Descriptions.Select(d => (Task: t, Description: d)))
            .Where(x => training.Contains(Normalize(x.Description)))
            .Select(x => $"{x.Task}: {x.Description}")
            .ToList();
        Assert.Empty(leaked);
    }

    [Fact]
    public void No_description_is_shared_by_two_tasks()
    {
        var shared = CommittedSuite.AllTasks
            .SelectMany(t => CommittedSuite.Task(t).Descriptions.Select(d => (Task: t, Key: Normalize(d))))
            .GroupBy(x => x.Key)
            .Where(g => g.Select(x => x.Task).Distinct().Count() > 1)
            .Select(g => g.Key)
            .ToList();
        Assert.Empty(shared);
    }

    [Fact]
    public void Heldout_tasks_name_the_training_tasks_they_relate_to()
    {
        foreach (var name in CommittedSuite.HeldoutTasks)
        {
            var related = CommittedSuite.Task(name).RelatedTo;
            Assert.NotEmpty(related);
            Assert.All(related, r => Assert.Contains(r, CommittedSuite.TrainTasks));
        }
    }

    [Fact]
    public void Committed_suite_is_well_under_5_MB()
    {
        var bytes = Directory.EnumerateFiles(CommittedSuite.Root, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);

        Assert.True(bytes < 3 * 1024 * 1024, $"{bytes} bytes");
    }

    private static string Normalize(string description) =>
        Whitespace().Replace(description.Trim().ToLowerInvariant(), " ").TrimEnd('.', '?', '!');

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
