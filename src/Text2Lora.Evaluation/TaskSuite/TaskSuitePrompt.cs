using Text2Lora.Lora;
using Text2Lora.Tasks;

namespace Text2Lora.Evaluation.TaskSuite;

/// <summary>One test example of a task suite as a model is asked it.</summary>
/// <param name="Task">The task's name.</param>
/// <param name="ExampleIndex">The example's 0-based position in the task's test split.</param>
/// <param name="PromptText">The prompt text (BOS is added when it is encoded), e.g. the input alone or <see cref="DescribedInput.Compose"/>.</param>
/// <param name="Expected">The expected output.</param>
/// <param name="Scoring">The task's scoring rule.</param>
/// <param name="Adapter">The LoRA adapter to answer with (null: the base model alone). Not owned.</param>
/// <param name="Description">The description the prompt or the adapter was made from, for the record (null: none).</param>
public sealed record TaskSuitePrompt(string Task, int ExampleIndex, string PromptText, string Expected, TaskScoring Scoring, LoraAdapter? Adapter = null, string? Description = null);
