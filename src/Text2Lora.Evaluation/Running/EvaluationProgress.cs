namespace Text2Lora.Evaluation.Running;

/// <summary>Progress of a run, reported after each item.</summary>
/// <param name="Completed">Items scored so far.</param>
/// <param name="Total">Items in the run.</param>
/// <param name="Correct">Items correct so far under the primary metric.</param>
public sealed record EvaluationProgress(int Completed, int Total, int Correct);
