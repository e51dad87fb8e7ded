namespace Text2Lora.Evaluation.Results;

/// <summary>The raw numbers behind one option of a multiple-choice item scored by log-likelihood.</summary>
/// <param name="Label">The option's label.</param>
/// <param name="LogLikelihood">Sum of the continuation's token log-probabilities.</param>
/// <param name="TokenCount">Tokens in the continuation.</param>
/// <param name="CharacterCount">Code points of the choice text (per-character normalisation length).</param>
public sealed record ChoiceScoreRecord(string Label, double LogLikelihood, int TokenCount, int CharacterCount);
