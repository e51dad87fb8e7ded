using Text2Lora.Tasks;

namespace Text2Lora.Training.Data;

/// <summary>A task ready for training: its descriptions and its examples as ids and completion-only labels.</summary>
/// <param name="Name">The task folder's name.</param>
/// <param name="Descriptions">The task's descriptions (never empty).</param>
/// <param name="Examples">Tokenized examples (never empty).</param>
public sealed record TokenizedTask(string Name, IReadOnlyList<string> Descriptions, IReadOnlyList<TokenizedExample> Examples);
