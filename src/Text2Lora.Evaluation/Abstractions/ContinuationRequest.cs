namespace Text2Lora.Evaluation.Abstractions;

/// <summary>One log-likelihood query: how likely is <paramref name="Continuation"/> right after <paramref name="Context"/>?</summary>
/// <param name="Context">The conditioning prompt.</param>
/// <param name="Continuation">
/// The text to score, exactly as it follows the (rendered) context, including any leading space
/// (lm-evaluation-harness's target delimiter, e.g. <c>" Paris"</c>).
/// </param>
public sealed record ContinuationRequest(EvaluationPrompt Context, string Continuation);
