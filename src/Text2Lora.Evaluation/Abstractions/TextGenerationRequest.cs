namespace Text2Lora.Evaluation.Abstractions;

/// <summary>One greedy generation query.</summary>
/// <param name="Prompt">What to continue.</param>
/// <param name="MaxNewTokens">Upper bound on generated tokens (≥ 1).</param>
/// <param name="StopSequences">Text sequences that end the generation; the returned text stops before the first one.</param>
public sealed record TextGenerationRequest(EvaluationPrompt Prompt, int MaxNewTokens, IReadOnlyList<string> StopSequences);
