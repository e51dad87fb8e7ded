namespace Text2Lora.Tasks;

/// <summary>A task of the multi-task data: its plain-language descriptions and its examples.</summary>
/// <param name="Name">The task folder's name.</param>
/// <param name="Descriptions">The <c>descriptions:</c> list of <c>metadata.yaml</c> (never empty).</param>
/// <param name="Train">Examples of <c>train.jsonl</c>.</param>
/// <param name="Test">Examples of <c>test.jsonl</c> (empty when the file is absent).</param>
public sealed record TrainingTask(string Name, IReadOnlyList<string> Descriptions, IReadOnlyList<TaskExample> Train, IReadOnlyList<TaskExample> Test)
{
    /// <summary>How a generated answer is scored against an output (<c>scoring:</c> of <c>metadata.yaml</c>; null when absent).</summary>
    public TaskScoring? Scoring { get; init; }

    /// <summary>The task's family (<c>family:</c> of <c>metadata.yaml</c>), when given.</summary>
    public string? Family { get; init; }
}
