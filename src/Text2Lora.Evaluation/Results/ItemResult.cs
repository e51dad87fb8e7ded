namespace Text2Lora.Evaluation.Results;

/// <summary>The outcome of one item; one line of the per-item results file.</summary>
/// <param name="Id">The item's id.</param>
/// <param name="Prediction">The predicted label, or the answer read from the generation (normalised text or number); null when none could be read.</param>
/// <param name="Gold">The correct label or reference answer (accepted alternatives joined by " | ").</param>
/// <param name="Correct">Whether the prediction is correct under the run's primary metric.</param>
/// <param name="Output">The generated text (generation scoring only).</param>
/// <param name="ChoiceScores">Per-option log-likelihoods (log-likelihood scoring only).</param>
/// <param name="Metrics">Correctness under every metric computed for the item (e.g. <c>acc</c>, <c>acc_per_token</c>, <c>acc_norm</c>).</param>
public sealed record ItemResult(
    string Id,
    string? Prediction,
    string Gold,
    bool Correct,
    string? Output,
    IReadOnlyList<ChoiceScoreRecord>? ChoiceScores,
    IReadOnlyDictionary<string, bool> Metrics);
