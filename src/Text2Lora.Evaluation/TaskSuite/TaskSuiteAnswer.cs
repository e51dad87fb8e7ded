namespace Text2Lora.Evaluation.TaskSuite;

/// <summary>A model's answer to a <see cref="TaskSuitePrompt"/>, scored.</summary>
/// <param name="Prompt">What was asked.</param>
/// <param name="Generated">The decoded continuation, trimmed.</param>
/// <param name="Correct">Whether it passes the task's scoring rule.</param>
public sealed record TaskSuiteAnswer(TaskSuitePrompt Prompt, string Generated, bool Correct);
