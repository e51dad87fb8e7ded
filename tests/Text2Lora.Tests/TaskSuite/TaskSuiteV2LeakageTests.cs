using Text2Lora.Tasks;
using Text2Lora.TaskSuite.Generation;
using Text2Lora.TaskSuite.Inputs;
using Text2Lora.TaskSuite.Tasks;
using Text2Lora.Training.Data;
using TaskExample = Text2Lora.TaskSuite.Tasks.TaskExample;
using TaskScoring = Text2Lora.TaskSuite.Tasks.TaskScoring;

namespace Text2Lora.Tests.TaskSuite;

/// <summary>
/// The leakage rule of issue 13: no held-out (or validation) input/output pair occurs in any training file. The base
/// model is pretrained on the suite's training tasks (<c>BaseModelTrainer</c> reads the manifest's <c>train:</c>
/// tasks' <c>train.jsonl</c>), the oracle, multi-task and T2L trainers read the same files; so checking those files
/// covers every training stage of the reproduction. Suite v2 also ships generic pretraining records
/// (<c>pretraining/generic.jsonl</c>, for the planned base-model corpus option), checked the same way.
/// </summary>
public sealed class TaskSuiteV2LeakageTests
{
    [Fact]
    public void No_heldout_or_validation_pair_occurs_in_any_training_task_file_of_v2()
    {
        Assert.Empty(Leaks(SuiteFolder.V2, [.. SuiteFolder.V2.ManifestList("heldout"), .. SuiteFolder.V2.ManifestList("validation")]));
    }

    [Fact]
    public void The_base_model_pretraining_corpus_of_v2_holds_no_heldout_pair()
    {
        // Exactly what BaseModelTrainer reads when its config names the suite and no explicit task list.
        var manifest = TaskSuiteManifest.Read(SuiteFolder.V2.Root);
        var corpus = TaskFolderReader.ReadTasks(SuiteFolder.V2.Root, manifest.Train)
            .SelectMany(t => t.Train).Select(e => (e.Input, e.Output)).ToHashSet();
        var heldout = SuiteFolder.V2.ManifestList("heldout").Concat(SuiteFolder.V2.ManifestList("validation")).ToList();

        Assert.Empty(manifest.Train.Intersect(heldout));
        Assert.True(corpus.Count > 30000, $"{corpus.Count} pretraining pairs");
        Assert.DoesNotContain(heldout.SelectMany(t => SuiteFolder.V2.Task(t).AllExamples), corpus.Contains);
    }

    [Fact]
    public void The_generic_pretraining_corpus_of_v2_holds_no_heldout_pair()
    {
        var corpus = SuiteFolder.V2.ManifestList("pretraining")
            .SelectMany(f => TaskFolderReader.ReadExamples(Path.Combine(SuiteFolder.V2.Root, f)))
            .Select(e => (e.Input, e.Output)).ToHashSet();
        var heldout = SuiteFolder.V2.ManifestList("heldout").Concat(SuiteFolder.V2.ManifestList("validation"));

        Assert.True(corpus.Count > 400, $"{corpus.Count} generic records");
        Assert.Contains(("van is", "a vehicle"), corpus); // Category facts cover the held-out categories too: knowledge, not task examples.
        Assert.DoesNotContain(heldout.SelectMany(t => SuiteFolder.V2.Task(t).AllExamples), corpus.Contains);
    }

    [Fact]
    public void The_check_finds_the_leaks_of_suite_v1_which_predates_the_rule()
    {
        // v1 (kept unchanged so its published results stay valid) has pairs in common between held-out and training
        // tasks, e.g. first_three_letters("frog") = drop_last_letter("frog") = "fro"; the same check reports them.
        var leaks = Leaks(SuiteFolder.V1, SuiteFolder.V1.ManifestList("heldout"));

        Assert.Contains(leaks, l => l.StartsWith("first_three_letters:", StringComparison.Ordinal));
        Assert.Contains(leaks, l => l.StartsWith("is_even:", StringComparison.Ordinal));
    }

    [Fact]
    public void The_generator_never_draws_an_input_whose_pair_is_reserved()
    {
        var spec = new TaskSpec("double", "test", TaskSplit.Train, TaskScoring.Numeric, "2n", InputSamplers.NumberRange(0, 59),
            n => (2 * int.Parse(n, System.Globalization.CultureInfo.InvariantCulture)).ToString(System.Globalization.CultureInfo.InvariantCulture))
        { TestSize = 10, TrainSize = 100 };
        // The pairs of a held-out "add 10" on 0-59 that "double" would also produce: 10 → 20 only.
        var reserved = Enumerable.Range(0, 60).Select(n => new TaskExample($"{n}", $"{n + 10}")).ToHashSet();

        var task = SuiteGenerator.GenerateTask(spec, [.. Enumerable.Range(0, 16).Select(i => $"d{i}")], 1, 16, reserved);

        Assert.Equal(59, task.Train.Count + task.Test.Count);
        Assert.DoesNotContain(task.Train.Concat(task.Test), e => e.Input == "10");
    }

    private static List<string> Leaks(SuiteFolder suite, IReadOnlyList<string> heldout)
    {
        var training = suite.ManifestList("train").SelectMany(t => suite.Task(t).AllExamples).ToHashSet();
        return [.. heldout.SelectMany(t => suite.Task(t).AllExamples.Where(training.Contains).Select(e => $"{t}: '{e.Input}' → '{e.Output}'"))];
    }
}
