using System.Text;
using Text2Lora.TaskSuite.Generation;
using Text2Lora.TaskSuite.Inputs;
using Text2Lora.TaskSuite.Output;
using Text2Lora.TaskSuite.Tasks;
using Text2Lora.Tests.Infrastructure;

namespace Text2Lora.Tests.TaskSuite;

[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class TaskSuiteRegenerationTests
{
    [Fact]
    public void Committed_folder_is_byte_identical_to_a_regeneration() =>
        AssertFolderIsRendering(SuiteRenderer.Render(SuiteGenerator.Generate()), CommittedSuite.Root, SuiteRenderer.RegenerateCommand);

    /// <summary>The folder holds exactly <paramref name="files"/>, byte for byte.</summary>
    internal static void AssertFolderIsRendering(IReadOnlyDictionary<string, string> files, string root, string command)
    {
        var onDisk = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(root, p).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(files.Keys.Order(StringComparer.Ordinal).ToList(), onDisk);
        foreach (var (relative, text) in files)
        {
            var committed = File.ReadAllBytes(Path.Combine(root, relative));
            Assert.True(committed.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(text)),
                $"{relative} differs from a regeneration; run: {command}");
        }
    }

    [Fact]
    public void Two_generations_in_one_process_are_identical()
    {
        var first = SuiteRenderer.Render(SuiteGenerator.Generate());
        var second = SuiteRenderer.Render(SuiteGenerator.Generate());
        Assert.Equal(first, second);
    }

    [Fact]
    public void Writer_replaces_a_suite_folder_as_a_whole_and_leaves_no_temporary_folders()
    {
        using var temp = new TempDirectory();
        var target = temp.File("suite");
        Directory.CreateDirectory(Path.Combine(target, "stale_task"));
        File.WriteAllText(Path.Combine(target, SuiteWriter.MarkerFile), "old");
        File.WriteAllText(Path.Combine(target, "stale_task", "train.jsonl"), "old");
        var files = new Dictionary<string, string>
        {
            ["suite.yaml"] = "name: x\n",
            ["task_a/train.jsonl"] = "{\"input\":\"a\",\"output\":\"b\"}\n",
        };

        SuiteWriter.Write(files, target);

        Assert.Empty(SuiteComparer.Differences(files, target));
        Assert.False(Directory.Exists(Path.Combine(target, "stale_task")));
        Assert.Equal(["suite"], Directory.EnumerateFileSystemEntries(temp.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Writer_refuses_to_replace_a_folder_that_is_not_a_task_suite()
    {
        using var temp = new TempDirectory();
        var target = temp.File("important");
        Directory.CreateDirectory(target);
        File.WriteAllText(Path.Combine(target, "notes.txt"), "keep me");

        Assert.Throws<IOException>(() => SuiteWriter.Write(new Dictionary<string, string> { ["suite.yaml"] = "x" }, target));

        Assert.Equal("keep me", File.ReadAllText(Path.Combine(target, "notes.txt")));
        Assert.Single(Directory.EnumerateFileSystemEntries(temp.Path));
    }

    [Fact]
    public void Comparer_reports_changed_missing_and_extra_files()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("a.txt"), "same");
        File.WriteAllText(temp.File("b.txt"), "old");
        File.WriteAllText(temp.File("extra.txt"), "x");

        var differences = SuiteComparer.Differences(
            new Dictionary<string, string> { ["a.txt"] = "same", ["b.txt"] = "new", ["c.txt"] = "c" }, temp.Path);

        Assert.Equal(["changed: b.txt", "missing: c.txt", "extra: extra.txt"], differences);
    }

    [Fact]
    public void Generator_rejects_a_task_with_fewer_than_16_descriptions()
    {
        var spec = TinySpec("tiny");
        var descriptions = new Dictionary<string, IReadOnlyList<string>> { ["tiny"] = Distinct(15) };

        var error = Assert.Throws<InvalidOperationException>(() => SuiteGenerator.Generate([spec], descriptions));
        Assert.Contains("15 descriptions", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Generator_rejects_repeated_descriptions_and_descriptions_of_unknown_tasks()
    {
        var spec = TinySpec("tiny");
        var repeated = Distinct(16).Append("description 0").ToList();

        Assert.Throws<InvalidOperationException>(() => SuiteGenerator.Generate(
            [spec], new Dictionary<string, IReadOnlyList<string>> { ["tiny"] = repeated }));
        Assert.Throws<InvalidOperationException>(() => SuiteGenerator.Generate(
            [spec], new Dictionary<string, IReadOnlyList<string>> { ["tiny"] = Distinct(16), ["ghost"] = Distinct(16) }));
    }

    [Fact]
    public void Generator_keeps_test_and_train_inputs_disjoint_and_distinct_for_a_finite_space()
    {
        var spec = TinySpec("tiny") with { TestSize = 10, TrainSize = 1000 };

        var task = SuiteGenerator.Generate([spec], new Dictionary<string, IReadOnlyList<string>> { ["tiny"] = Distinct(16) }).Single();

        Assert.Equal(10, task.Test.Count);
        Assert.Equal(30, task.Train.Count); // 40 possible inputs, 10 taken by the test split.
        Assert.Equal(40, task.Test.Concat(task.Train).Select(e => e.Input).Distinct().Count());
    }

    private static TaskSpec TinySpec(string name) =>
        new(name, "test", TaskSplit.Train, TaskScoring.Numeric, "n + 1", InputSamplers.NumberRange(0, 39),
            n => (int.Parse(n, System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static List<string> Distinct(int count) => [.. Enumerable.Range(0, count).Select(i => $"description {i}")];
}
