using Text2Lora.Tasks;
using Text2Lora.Tests.Infrastructure;
using System.Text;
using Text2Lora.TaskSuite.V2;
using Text2Lora.Training.Data;

namespace Text2Lora.Tests.TaskSuite;

/// <summary>Suite v2 (<c>data/task-suite-v2</c>, issue 13): regeneration, manifest, groups and what the existing readers see.</summary>
public sealed class TaskSuiteV2Tests
{
    private static SuiteFolder Suite => SuiteFolder.V2;

    private static IReadOnlyList<string> Train => Suite.ManifestList("train");

    private static IReadOnlyList<string> Interpolation => Suite.ManifestList("heldout_interpolation");

    private static IReadOnlyList<string> NewFamily => Suite.ManifestList("heldout_new_family");

    private static IReadOnlyList<string> Validation => Suite.ManifestList("validation");

    [Fact]
    public void Committed_v2_folder_is_byte_identical_to_a_regeneration() =>
        TaskSuiteRegenerationTests.AssertFolderIsRendering(
            SuiteV2Generator.Render(), Suite.Root, SuiteV2Settings.RegenerateCommand);

    [Fact]
    public void Two_v2_generations_are_byte_identical()
    {
        var first = SuiteV2Generator.Render();
        var second = SuiteV2Generator.Render();

        Assert.Equal(first.Keys, second.Keys);
        Assert.All(first, f => Assert.True(Encoding.UTF8.GetBytes(f.Value).AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(second[f.Key])), f.Key));
    }

    [Fact]
    public void Manifest_has_hundreds_of_training_tasks_two_heldout_groups_and_validation_tasks_each_with_its_folder()
    {
        Assert.True(Train.Count >= 200, $"{Train.Count} training tasks");
        Assert.True(Interpolation.Count >= 20, $"{Interpolation.Count} interpolation tasks");
        Assert.True(NewFamily.Count >= 8, $"{NewFamily.Count} new-family tasks");
        Assert.True(Validation.Count >= 5, $"{Validation.Count} validation tasks");
        Assert.Equal([.. Interpolation, .. NewFamily], Suite.ManifestList("heldout"));
        var all = Train.Concat(Interpolation).Concat(NewFamily).Concat(Validation).ToList();
        Assert.Equal(all.Count, all.Distinct(StringComparer.Ordinal).Count());
        var folders = Directory.EnumerateDirectories(Suite.Root).Select(Path.GetFileName).Where(f => f != "pretraining").Order(StringComparer.Ordinal);
        Assert.Equal(all.Order(StringComparer.Ordinal), folders);
        Assert.Equal(["pretraining/generic.jsonl"], Suite.ManifestList("pretraining"));
    }

    [Fact]
    public void Task_metadata_agrees_with_the_manifest_groups()
    {
        Assert.All(Train, t => Assert.Equal(("train", (string?)null), (Suite.Task(t).Split, Suite.Task(t).HeldoutGroup)));
        Assert.All(Interpolation, t => Assert.Equal(("heldout", "interpolation"), (Suite.Task(t).Split, Suite.Task(t).HeldoutGroup)));
        Assert.All(NewFamily, t => Assert.Equal(("heldout", "new_family"), (Suite.Task(t).Split, Suite.Task(t).HeldoutGroup)));
        Assert.All(Validation, t => Assert.Equal(("validation", "interpolation"), (Suite.Task(t).Split, Suite.Task(t).HeldoutGroup)));
    }

    [Fact]
    public void Interpolation_tasks_belong_to_trained_families_and_new_families_do_not()
    {
        var trainedFamilies = Train.Select(t => Suite.Task(t).Family).ToHashSet(StringComparer.Ordinal);

        Assert.True(trainedFamilies.Count >= 15, $"{trainedFamilies.Count} trained families");
        foreach (var name in Interpolation.Concat(Validation))
        {
            var task = Suite.Task(name);
            Assert.Contains(task.Family, trainedFamilies);
            Assert.NotEmpty(task.RelatedTo);
            Assert.All(task.RelatedTo, r => Assert.Contains(r, Train));
            Assert.NotEmpty(task.Parameters);
            // An unseen value or combination: no training task of the family has the same parameters.
            Assert.DoesNotContain(Train, t => Suite.Task(t).Family == task.Family && Suite.Task(t).Parameters.OrderBy(p => p.Key).SequenceEqual(task.Parameters.OrderBy(p => p.Key)));
        }

        Assert.All(NewFamily, t => Assert.DoesNotContain(Suite.Task(t).Family, trainedFamilies));
    }

    [Fact]
    public void Every_task_has_enough_distinct_examples_and_no_test_input_in_its_train_split()
    {
        foreach (var name in Train.Concat(Interpolation).Concat(NewFamily).Concat(Validation))
        {
            var task = Suite.Task(name);
            Assert.True(task.Test.Count == 50, $"{name}: {task.Test.Count} test examples");
            Assert.True(task.Train.Count >= 100, $"{name}: {task.Train.Count} train examples");
            Assert.Equal(task.Train.Count + task.Test.Count, task.AllExamples.Select(e => e.Input).Distinct(StringComparer.Ordinal).Count());
            Assert.All(task.AllExamples, e => Assert.True(e.Input.Length is > 0 and <= 48 && e.Output.Length is > 0 and <= 48, $"{name}: '{e.Input}' → '{e.Output}'"));
        }
    }

    [Fact]
    public void The_existing_readers_accept_v2_as_they_accept_v1()
    {
        var manifest = TaskSuiteManifest.Read(Suite.Root);
        var tasks = TaskFolderReader.ReadTasks(Suite.Root, [.. manifest.Train, .. manifest.Heldout, .. Validation]);

        Assert.Equal(Train, manifest.Train);
        Assert.Equal(Suite.ManifestList("heldout"), manifest.Heldout);
        Assert.Equal(Interpolation, manifest.HeldoutInterpolation);
        Assert.Equal(NewFamily, manifest.HeldoutNewFamily);
        Assert.Equal(Validation, manifest.Validation);
        Assert.Equal(["pretraining/generic.jsonl"], manifest.Pretraining);
        Assert.All(tasks, t => Assert.Equal(Suite.Task(t.Name).Descriptions, t.Descriptions));
        Assert.All(tasks, t => Assert.Equal(Suite.Task(t.Name).Family, t.Family));
        Assert.All(tasks, t => Assert.NotNull(t.Scoring));
    }

    [Theory]
    [InlineData("train: [a, b]\nheldout: [c, d]\nheldout_interpolation: [c]\n", "together must list exactly")]
    [InlineData("train: [a, b]\nheldout: [c]\nheldout_interpolation: [c]\nheldout_new_family: [c]\n", "together must list exactly")]
    [InlineData("train: [a, b]\nheldout: [c]\nheldout_new_family: [d]\n", "together must list exactly")]
    [InlineData("train: [a, b]\nheldout: [c]\nvalidation: [b]\n", "validation task 'b'")]
    [InlineData("train: [a]\nvalidation: x\n", "'validation' is not a list")]
    public void A_manifest_whose_groups_disagree_with_its_lists_is_a_task_data_error(string yaml, string expected)
    {
        using var folder = new TempDirectory();
        File.WriteAllText(folder.File(TaskSuiteManifest.FileName), yaml);

        var error = Assert.Throws<TaskDataFormatException>(() => TaskSuiteManifest.Read(folder.Path));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains(TaskSuiteManifest.FileName, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_v1_manifest_has_no_groups_validation_or_corpus()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(folder.File(TaskSuiteManifest.FileName), "train: [a, b]\nheldout: [c]\n");

        var manifest = TaskSuiteManifest.Read(folder.Path);

        Assert.Equal(["c"], manifest.Heldout);
        Assert.Empty(manifest.HeldoutInterpolation);
        Assert.Empty(manifest.HeldoutNewFamily);
        Assert.Empty(manifest.Validation);
        Assert.Empty(manifest.Pretraining);
    }

    [Fact]
    public void Committed_v2_suite_stays_under_4_MB()
    {
        var bytes = Directory.EnumerateFiles(Suite.Root, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);

        Assert.True(bytes < 4 * 1024 * 1024, $"{bytes} bytes");
    }
}
