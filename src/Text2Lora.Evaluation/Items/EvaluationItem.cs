namespace Text2Lora.Evaluation.Items;

/// <summary>One test question of a benchmark, ready to score: either <see cref="MultipleChoiceItem"/> or <see cref="GenerationItem"/>.</summary>
/// <param name="Id">Stable id (the benchmark's own id, or its 0-based position in the file when it has none).</param>
public abstract record EvaluationItem(string Id);
