using Text2Lora.Evaluation.Abstractions;
using Text2Lora.Evaluation.Benchmarks;
using Text2Lora.Evaluation.Items;
using Text2Lora.Evaluation.Scoring;
using Text2Lora.Tests.Infrastructure;
using Text2Lora.Tasks;

namespace Text2Lora.Tests.Evaluation;

[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class TaskSuiteBenchmarkTests
{
    [Fact]
    public void Task_folder_test_split_becomes_exact_match_items()
    {
        // tests/…/Fixtures/tasks/lol_717/test.jsonl: two MMMLU logical-fallacy questions, outputs "A" and "B".
        var folder = FixturePaths.Get("tasks", "lol_717");

        var items = new TaskSuiteBenchmark().Load(folder, BenchmarkPromptFormat.T2l).Cast<GenerationItem>().ToList();

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

        var items = new TaskSuiteBenchmark().Load(dir.Path, BenchmarkPromptFormat.Harness, limit: 1).Cast<GenerationItem>().ToList();

        var item = Assert.Single(items);
        Assert.Equal(EvaluationPrompt.Raw("abc"), item.Prompt);
        Assert.Equal(["cba"], item.GoldAnswers);
    }

    [Fact]
    public void Malformed_line_names_file_and_line()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("test.jsonl"), "{\"input\": \"abc\", \"output\": \"cba\"}\n\n{\"input\": \"x\"}\n");

        var ex = Assert.Throws<TaskDataFormatException>(() => new TaskSuiteBenchmark().Load(dir.Path, BenchmarkPromptFormat.T2l));
        Assert.Equal(dir.File("test.jsonl"), ex.FilePath);
        Assert.Equal(3, ex.LineNumber);
        Assert.Contains("'output'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_folder_or_test_split_is_reported()
    {
        using var dir = new TempDirectory();
        Assert.Throws<TaskDataFormatException>(() => new TaskSuiteBenchmark().Load(Path.Combine(dir.Path, "nope"), BenchmarkPromptFormat.T2l));
        var ex = Assert.Throws<TaskDataFormatException>(() => new TaskSuiteBenchmark().Load(dir.Path, BenchmarkPromptFormat.T2l));
        Assert.Equal(dir.File("test.jsonl"), ex.FilePath);
    }

    [Theory]
    [InlineData("uppercase_word", AnswerMatching.CaseSensitiveText)]
    [InlineData("add_one", AnswerMatching.FirstInteger)]
    public void Suite_tasks_are_scored_by_their_metadata_rule(string task, AnswerMatching expected)
    {
        var items = new TaskSuiteBenchmark().Load(Path.Combine(CommittedSuiteRoot, task), BenchmarkPromptFormat.T2l, limit: 2).Cast<GenerationItem>().ToList();

        Assert.All(items, item => Assert.Equal(expected, item.Matching));
    }

    [Fact]
    public void Case_sensitive_and_first_integer_rules_score_generated_text()
    {
        Assert.True(Score(AnswerMatching.CaseSensitiveText, " APPLE\n", "APPLE"));
        Assert.False(Score(AnswerMatching.CaseSensitiveText, "apple", "APPLE")); // ExactText would accept it
        Assert.True(Score(AnswerMatching.FirstInteger, "6, then 7", "6"));
        Assert.False(Score(AnswerMatching.FirstInteger, "5 6", "6"));
    }

    private static string CommittedSuiteRoot => Text2Lora.Tests.TaskSuite.CommittedSuite.Root;

    private static bool Score(AnswerMatching matching, string output, string gold)
    {
        var item = new GenerationItem("0", EvaluationPrompt.Raw("x"), [gold], matching, []);
        var model = new FakeEvaluationModel { GenerateRule = _ => output };
        var report = new Text2Lora.Evaluation.Running.BenchmarkEvaluator(model).EvaluateAsync("tasks", [item]).GetAwaiter().GetResult();
        return report.Items[0].Correct;
    }
}
