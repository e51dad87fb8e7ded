namespace Text2Lora.Tasks;

/// <summary>What this project reads from a task's <c>metadata.yaml</c> (see <see cref="TaskFolderReader.ReadMetadata"/>).</summary>
/// <param name="Descriptions">The <c>descriptions:</c> list (never empty).</param>
/// <param name="Scoring">The <c>scoring:</c> rule; null when absent (the T2L reference's task folders have none).</param>
/// <param name="Family">The <c>family:</c> name, when given.</param>
public sealed record TaskMetadata(IReadOnlyList<string> Descriptions, TaskScoring? Scoring, string? Family);
