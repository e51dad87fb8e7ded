namespace Text2Lora.Evaluation.Abstractions;

/// <summary>The model's answer to one <see cref="ContinuationRequest"/>.</summary>
/// <param name="LogLikelihood">
/// Sum over the continuation's tokens of the natural-log probability of each token given everything before it
/// (≤ 0; finite).
/// </param>
/// <param name="TokenCount">How many tokens the continuation took (≥ 1); used by per-token normalisation.</param>
public sealed record ContinuationScore(double LogLikelihood, int TokenCount);
