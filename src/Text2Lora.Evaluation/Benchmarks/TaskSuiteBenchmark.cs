using System.Globalization;
using Text2Lora.Evaluation.Abstractions;
using Text2Lora.Evaluation.Items;
using Text2Lora.Evaluation.Scoring;
using Text2Lora.Tasks;

namespace Text2Lora.Evaluation.Benchmarks;

/// <summary>
/// One task of a task suite, given as its folder in the trainers' format (read by <see cref="TaskFolderReader"/>):
/// the test split <c>test.jsonl</c>, one <c>{"input", "output"}</c> object per line; ids are the 0-based positions.
/// The prompt is the input alone, as the trainers' <see cref="PromptFormatter"/> shows it: the chat user turn in the T2L
/// format (plain text for a model without a chat template), verbatim in the harness format. Task descriptions are not
/// put in the prompt — they reach the model through a generated adapter. Scored by generation with the task's
/// <c>scoring:</c> rule from <c>metadata.yaml</c> (<see cref="TaskScoringRules"/>): <c>exact</c> is a case-sensitive
/// comparison of the trimmed answer (<see cref="AnswerMatching.CaseSensitiveText"/>), <c>numeric</c> compares the first
/// integer (<see cref="AnswerMatching.FirstInteger"/>). Without a <c>scoring:</c> key (the T2L reference's task
/// folders) the answer is compared as the reference's <c>get_accuracy</c> does (<see cref="AnswerMatching.ExactText"/>).
/// </summary>
public sealed class TaskSuiteBenchmark : IBenchmark
{
    /// <inheritdoc />
    public string Name => "tasks";

    /// <inheritdoc />
    public bool IsMultipleChoice => false;

    /// <inheritdoc />
    /// <exception cref="TaskDataFormatException">The folder or its <c>test.jsonl</c> is missing, or a line is malformed.</exception>
    public IReadOnlyList<EvaluationItem> Load(string path, BenchmarkPromptFormat format, int? limit = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (limit is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "must be 0 or more.");
        }

        if (!Directory.Exists(path))
        {
            throw new TaskDataFormatException(path, $"the task folder does not exist (expected a folder with {TaskFolderReader.TestFileName})");
        }

        var examples = TaskFolderReader.ReadExamples(Path.Combine(path, TaskFolderReader.TestFileName));
        var metadataPath = Path.Combine(path, TaskFolderReader.MetadataFileName);
        var matching = (File.Exists(metadataPath) ? TaskFolderReader.ReadMetadata(metadataPath).Scoring : null) switch
        {
            TaskScoring.Exact => AnswerMatching.CaseSensitiveText,
            TaskScoring.Numeric => AnswerMatching.FirstInteger,
            _ => AnswerMatching.ExactText,
        };
        return examples
            .Take(limit ?? int.MaxValue)
            .Select((example, i) => (EvaluationItem)new GenerationItem(
                i.ToString(CultureInfo.InvariantCulture),
                format == BenchmarkPromptFormat.Harness ? EvaluationPrompt.Raw(example.Input) : EvaluationPrompt.Chat(example.Input),
                [example.Output],
                matching,
                []))
            .ToList();
    }
}
