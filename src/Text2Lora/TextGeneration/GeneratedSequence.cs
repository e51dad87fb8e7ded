namespace Text2Lora.TextGeneration;

/// <summary>The new tokens of one prompt.</summary>
/// <param name="TokenIds">Generated ids (without the prompt), including a final EOS or stop sequence.</param>
/// <param name="FinishReason">Why generation ended.</param>
public sealed record GeneratedSequence(IReadOnlyList<int> TokenIds, FinishReason FinishReason);
