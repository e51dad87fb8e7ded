using Text2Lora.IO;
using Text2Lora.Tests.Infrastructure;
using Text2Lora.Tasks;
using Xunit;

namespace Text2Lora.Tests.Training;

/// <summary>Reading task folders (Fixtures/tasks: two small SNI tasks with T2L descriptions) and their errors.</summary>
[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class TaskFolderReaderTests
{
    [Fact]
    public void Reads_descriptions_and_examples_of_the_shipped_tasks()
    {
        IReadOnlyList<TrainingTask> tasks = TaskFolderReader.ReadTasks(FixturePaths.Get("tasks"), ["lol_717", "lol_1198"]);

        TrainingTask fallacies = tasks[0];
        Assert.Equal("lol_717", fallacies.Name);
        Assert.Equal(3, fallacies.Descriptions.Count);
        Assert.Equal(4, fallacies.Train.Count);
        Assert.Equal(2, fallacies.Test.Count);
        Assert.StartsWith("The fallacy of _ignoratio elenchi_ is also known as\n(A)argument against the person", fallacies.Train[0].Input, StringComparison.Ordinal);
        Assert.Equal("C", fallacies.Train[0].Output);

        TrainingTask atomic = tasks[1];
        Assert.StartsWith("Engage with scenarios involving participants' interactions", atomic.Descriptions[0], StringComparison.Ordinal);
        Assert.Contains("person\u2019s actions", atomic.Descriptions[2], StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_task_folder_is_named()
    {
        string missing = FixturePaths.Get("tasks", "lol_does_not_exist");
        var ex = Assert.Throws<TaskDataFormatException>(() => TaskFolderReader.ReadTasks(FixturePaths.Get("tasks"), ["lol_717", "lol_does_not_exist"]));
        Assert.Equal(missing, ex.FilePath);
    }

    [Fact]
    public void Empty_descriptions_are_rejected()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(folder.File("metadata.yaml"), "task_name: x\ndescriptions: []\n");
        File.WriteAllText(folder.File("train.jsonl"), "{\"input\": \"a\", \"output\": \"b\"}\n");
        InvalidFileFormatException ex = Assert.Throws<TaskDataFormatException>(() => TaskFolderReader.ReadTask(folder.Path));
        Assert.Equal(folder.File("metadata.yaml"), ex.FilePath);
        Assert.Contains("'descriptions' is empty", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_descriptions_key_is_rejected()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(folder.File("metadata.yaml"), "task_name: x\n");
        File.WriteAllText(folder.File("train.jsonl"), "{\"input\": \"a\", \"output\": \"b\"}\n");
        var ex = Assert.Throws<TaskDataFormatException>(() => TaskFolderReader.ReadTask(folder.Path));
        Assert.Contains("'descriptions' is missing", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_jsonl_line_is_reported_with_file_and_line_number()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(folder.File("metadata.yaml"), "descriptions:\n- Do the thing.\n");
        File.WriteAllText(folder.File("train.jsonl"), "{\"input\": \"a\", \"output\": \"b\"}\n\n{\"input\": \"c\", \"output\": \n");
        var ex = Assert.Throws<TaskDataFormatException>(() => TaskFolderReader.ReadTask(folder.Path));
        Assert.Equal(folder.File("train.jsonl"), ex.FilePath);
        Assert.Equal(3, ex.LineNumber);
        Assert.Contains("line 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Line_without_an_output_string_is_reported()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(folder.File("metadata.yaml"), "descriptions:\n- Do the thing.\n");
        File.WriteAllText(folder.File("train.jsonl"), "{\"input\": \"a\", \"output\": [\"b\"]}\n");
        var ex = Assert.Throws<TaskDataFormatException>(() => TaskFolderReader.ReadTask(folder.Path));
        Assert.Equal(1, ex.LineNumber);
        Assert.Contains("'output'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_train_file_is_named_and_missing_test_file_is_allowed()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(folder.File("metadata.yaml"), "descriptions:\n- Do the thing.\n");
        var ex = Assert.Throws<TaskDataFormatException>(() => TaskFolderReader.ReadTask(folder.Path));
        Assert.Equal(folder.File("train.jsonl"), ex.FilePath);

        File.WriteAllText(folder.File("train.jsonl"), "{\"input\": \"a\", \"output\": \"b\"}\n");
        Assert.Empty(TaskFolderReader.ReadTask(folder.Path).Test);
    }

    [Fact]
    public void Suite_metadata_gives_scoring_and_family_and_reference_folders_have_none()
    {
        var suite = Text2Lora.Tests.TaskSuite.CommittedSuite.Root;
        var addOne = TaskFolderReader.ReadTask(Path.Combine(suite, "add_one"));
        var uppercase = TaskFolderReader.ReadTask(Path.Combine(suite, "uppercase_word"));
        var reference = TaskFolderReader.ReadTask(FixturePaths.Get("tasks", "lol_717"));

        Assert.Equal((TaskScoring.Numeric, "arithmetic"), (addOne.Scoring, addOne.Family));
        Assert.Equal((TaskScoring.Exact, "letters"), (uppercase.Scoring, uppercase.Family));
        Assert.Equal((null, null), (reference.Scoring, reference.Family));
    }

    [Fact]
    public void An_unknown_scoring_rule_is_named_with_its_line()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(folder.File("metadata.yaml"), "name: t\nscoring: fuzzy\ndescriptions:\n- Do it.\n");

        var ex = Assert.Throws<TaskDataFormatException>(() => TaskFolderReader.ReadMetadata(folder.File("metadata.yaml")));
        Assert.Equal(folder.File("metadata.yaml"), ex.FilePath);
        Assert.Equal(2, ex.LineNumber);
        Assert.Contains("'scoring'", ex.Message, StringComparison.Ordinal);
    }
}
