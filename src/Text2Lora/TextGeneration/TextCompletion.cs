namespace Text2Lora.TextGeneration;

/// <summary>The continuation of one prompt as text.</summary>
/// <param name="Text">The new text: special tokens removed, cut before the first stop string.</param>
/// <param name="TokenIds">The generated token ids (including a final EOS and the tokens of a stop string).</param>
/// <param name="FinishReason">Why generation ended.</param>
public sealed record TextCompletion(string Text, IReadOnlyList<int> TokenIds, FinishReason FinishReason);
