using Text2Lora.Evaluation.Abstractions;
using Text2Lora.Evaluation.Benchmarks;
using Text2Lora.Evaluation.Items;
using Text2Lora.Evaluation.Scoring;
using Text2Lora.Tests.Infrastructure;

namespace Text2Lora.Tests.Evaluation;

public sealed class TaskSuiteBenchmarkTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public TaskSuiteBenchmarkTests()
    {
        File.WriteAllText(_dir.File("test.jsonl"),
            """
            {"input": "abc", "output": "cba"}
            {"id": "t-2", "input": "hello", "output": "olleh", "outputs": ["olleh", "OLLEH"]}
            """);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Without_metadata_the_prompt_is_the_input()
    {
        var items = new TaskSuiteBenchmark().Load(_dir.Path, PromptFormat.T2l).Cast<GenerationItem>().ToList();

        Assert.Equal(2, items.Count);
        Assert.Equal("0", items[0].Id);
        Assert.Equal("t-2", items[1].Id);
        Assert.Equal(EvaluationPrompt.Chat("abc"), items[0].Prompt);
        Assert.Equal(["cba"], items[0].GoldAnswers);
        Assert.Equal(["olleh", "OLLEH"], items[1].GoldAnswers);
        Assert.Equal(AnswerMatching.ExactText, items[0].Matching);
    }

    [Fact]
    public void Metadata_prompt_fields_build_the_prompt()
    {
        File.WriteAllText(_dir.File("metadata.yaml"),
            """
            descriptions:
            - Reverse the letters of the word.
            system_message: You are terse.
            assistant_prefill: 'Answer: '
            user_prompt_template: "Reverse this: {input}\nAgain: {problem}"
            """);

        var t2l = (GenerationItem)new TaskSuiteBenchmark().Load(_dir.Path, PromptFormat.T2l, limit: 1).Single();
        var harness = (GenerationItem)new TaskSuiteBenchmark().Load(_dir.Path, PromptFormat.Harness, limit: 1).Single();

        Assert.Equal(new EvaluationPrompt("Reverse this: abc\nAgain: abc", PromptStyle.Chat, "You are terse.", "Answer: "), t2l.Prompt);
        Assert.Equal(EvaluationPrompt.Raw("Reverse this: abc\nAgain: abc"), harness.Prompt);
    }

    [Fact]
    public void Unknown_placeholder_is_reported_with_its_line()
    {
        var metadata = _dir.File("metadata.yaml");
        File.WriteAllText(metadata, "descriptions:\n- d\nuser_prompt_template: '{task_def}\n\n  {problem}'\n");

        var ex = Assert.Throws<BenchmarkFormatException>(() => new TaskSuiteBenchmark().Load(_dir.Path, PromptFormat.T2l));
        Assert.Equal(metadata, ex.FilePath);
        Assert.Equal(3, ex.LineNumber);
        Assert.Equal("user_prompt_template", ex.Field);
        Assert.Contains("'{task_def}'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_string_prompt_field_is_rejected()
    {
        File.WriteAllText(_dir.File("metadata.yaml"), "system_message:\n  - a\n");
        Assert.Equal("system_message", Assert.Throws<BenchmarkFormatException>(() => new TaskSuiteBenchmark().Load(_dir.Path, PromptFormat.T2l)).Field);
    }

    [Fact]
    public void Broken_yaml_is_a_format_error() 
    {
        File.WriteAllText(_dir.File("metadata.yaml"), "user_prompt_template: [unclosed\n");
        Assert.Throws<BenchmarkFormatException>(() => new TaskSuiteBenchmark().Load(_dir.Path, PromptFormat.T2l));
    }

    [Fact]
    public void Missing_output_names_file_line_and_field()
    {
        File.AppendAllText(_dir.File("test.jsonl"), "\n{\"input\": \"x\"}\n");
        var ex = Assert.Throws<BenchmarkFormatException>(() => new TaskSuiteBenchmark().Load(_dir.Path, PromptFormat.T2l));
        Assert.Equal(_dir.File("test.jsonl"), ex.FilePath);
        Assert.Equal(3, ex.LineNumber);
        Assert.Equal("output", ex.Field);
    }

    [Fact]
    public void Missing_folder_is_a_directory_not_found_error() =>
        Assert.Throws<DirectoryNotFoundException>(() => new TaskSuiteBenchmark().Load(Path.Combine(_dir.Path, "nope"), PromptFormat.T2l));
}
