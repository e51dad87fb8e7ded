namespace Text2Lora.Tasks;

/// <summary>One example of a task: the model is trained to answer <paramref name="Input"/> with <paramref name="Output"/>.</summary>
/// <param name="Input">The prompt text.</param>
/// <param name="Output">The expected completion.</param>
public sealed record TaskExample(string Input, string Output);
