using System.Globalization;
using Text2Lora.Evaluation.Abstractions;
using Text2Lora.Evaluation.Items;
using Text2Lora.Evaluation.Scoring;

namespace Text2Lora.Evaluation.Benchmarks;

/// <summary>
/// One task of a task suite, given as its folder: <c>test.jsonl</c> with <c>{"input": str, "output": str}</c> per line
/// (optional <c>"id"</c>, and optional <c>"outputs"</c>, a list of all accepted answers, as in the shared SNI samples),
/// plus an optional <c>metadata.yaml</c> whose prompt fields build the prompt (see <see cref="TaskPromptTemplate"/>).
/// Scored by generation with <see cref="AnswerMatching.ExactText"/>; a match with any accepted answer is correct (the
/// T2L reference instead joins several references with ", " into one target). T2L format: the rendered template as the
/// chat user turn with the metadata's system message and prefill; harness format: the rendered template verbatim.
/// </summary>
public sealed class TaskSuiteBenchmark : IBenchmark
{
    /// <summary>The test split's file name inside a task folder.</summary>
    public const string TestFileName = "test.jsonl";

    /// <summary>The optional metadata file's name inside a task folder.</summary>
    public const string MetadataFileName = "metadata.yaml";

    /// <inheritdoc />
    public string Name => "tasks";

    /// <inheritdoc />
    public bool IsMultipleChoice => false;

    /// <inheritdoc />
    public IReadOnlyList<EvaluationItem> Load(string path, PromptFormat format, int? limit = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!Directory.Exists(path))
        {
            throw new DirectoryNotFoundException($"Task folder '{path}' does not exist (expected a folder with {TestFileName} and optionally {MetadataFileName}).");
        }

        var metadata = Path.Combine(path, MetadataFileName);
        var template = File.Exists(metadata) ? TaskPromptTemplate.Read(metadata) : TaskPromptTemplate.Default;
        return JsonlFile.Read(Path.Combine(path, TestFileName), limit).Select(record => Parse(record, template, format)).ToList();
    }

    private static GenerationItem Parse(JsonlRecord record, TaskPromptTemplate template, PromptFormat format)
    {
        var id = record.OptionalString("id") ?? record.Position.ToString(CultureInfo.InvariantCulture);
        var input = record.String("input");
        var output = record.String("output");
        var outputs = record.OptionalStringArray("outputs");
        if (outputs is { Count: 0 })
        {
            throw record.Error("outputs", "is empty; leave it out or list the accepted answers.");
        }

        IReadOnlyList<string> gold = outputs is null ? [output] : [output, .. outputs.Where(o => o != output)];
        var text = template.Render(input);
        var prompt = format == PromptFormat.Harness
            ? EvaluationPrompt.Raw(text)
            : EvaluationPrompt.Chat(text, template.SystemMessage, template.AssistantPrefill);
        return new GenerationItem(id, prompt, gold, AnswerMatching.ExactText, []);
    }
}
