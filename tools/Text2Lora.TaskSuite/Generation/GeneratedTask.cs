using Text2Lora.TaskSuite.Tasks;

namespace Text2Lora.TaskSuite.Generation;

/// <summary>A task with its descriptions and generated splits, ready to be rendered to files.</summary>
public sealed record GeneratedTask(
    TaskSpec Spec,
    IReadOnlyList<string> Descriptions,
    IReadOnlyList<TaskExample> Train,
    IReadOnlyList<TaskExample> Test);
