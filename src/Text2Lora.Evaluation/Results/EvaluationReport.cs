namespace Text2Lora.Evaluation.Results;

/// <summary>Everything a run produced: per-item results and their summary.</summary>
/// <param name="Summary">Accuracy and per-metric means.</param>
/// <param name="Items">One result per item, in item order.</param>
public sealed record EvaluationReport(EvaluationSummary Summary, IReadOnlyList<ItemResult> Items);
