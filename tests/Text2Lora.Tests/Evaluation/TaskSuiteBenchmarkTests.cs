using Text2Lora.Evaluation.Abstractions;
using Text2Lora.Evaluation.Benchmarks;
using Text2Lora.Evaluation.Items;
using Text2Lora.Evaluation.Scoring;
using Text2Lora.Tests.Infrastructure;
using Text2Lora.Training.Data;

namespace Text2Lora.Tests.Evaluation;

public sealed class TaskSuiteBenchmarkTests
{
    [Fact]
    public void Task_folder_test_split_becomes_exact_match_items()
    {
        // tests/…/Fixtures/tasks/lol_717/test.jsonl: two MMMLU logical-fallacy questions, outputs "A" and "B".
        var folder = FixturePaths.Get("tasks", "lol_717");

        var items = new TaskSuiteBenchmark().Load(folder, PromptFormat.T2l).Cast<GenerationItem>().ToList();

        Assert.Equal(2, items.Count);
        Assert.Equal(["0", "1"], items.Select(i => i.Id));
        Assert.Equal(PromptStyle.Chat, items[0].Prompt.Style);
        Assert.StartsWith("Given the following major premise, which of the following minor premises could lead to a valid conclusion?", items[0].Prompt.Text, StringComparison.Ordinal);
        Assert.Equal(["A"], items[0].GoldAnswers);
        Assert.Equal(AnswerMatching.ExactText, items[0].Matching);
        Assert.Empty(items[0].StopSequences);
    }

    [Fact]
    public void Harness_format_uses_the_input_verbatim_and_limit_applies()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("test.jsonl"), "{\"input\": \"abc\", \"output\": \"cba\"}\n\n{\"input\": \"hello\", \"output\": \"olleh\"}\n");

        var items = new TaskSuiteBenchmark().Load(dir.Path, PromptFormat.Harness, limit: 1).Cast<GenerationItem>().ToList();

        var item = Assert.Single(items);
        Assert.Equal(EvaluationPrompt.Raw("abc"), item.Prompt);
        Assert.Equal(["cba"], item.GoldAnswers);
    }

    [Fact]
    public void Malformed_line_names_file_and_line()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("test.jsonl"), "{\"input\": \"abc\", \"output\": \"cba\"}\n\n{\"input\": \"x\"}\n");

        var ex = Assert.Throws<TaskDataFormatException>(() => new TaskSuiteBenchmark().Load(dir.Path, PromptFormat.T2l));
        Assert.Equal(dir.File("test.jsonl"), ex.FilePath);
        Assert.Equal(3, ex.LineNumber);
        Assert.Contains("'output'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_folder_or_test_split_is_reported()
    {
        using var dir = new TempDirectory();
        Assert.Throws<TaskDataFormatException>(() => new TaskSuiteBenchmark().Load(Path.Combine(dir.Path, "nope"), PromptFormat.T2l));
        var ex = Assert.Throws<TaskDataFormatException>(() => new TaskSuiteBenchmark().Load(dir.Path, PromptFormat.T2l));
        Assert.Equal(dir.File("test.jsonl"), ex.FilePath);
    }
}
