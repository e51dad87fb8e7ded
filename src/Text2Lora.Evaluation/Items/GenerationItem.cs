using Text2Lora.Evaluation.Abstractions;
using Text2Lora.Evaluation.Scoring;

namespace Text2Lora.Evaluation.Items;

/// <summary>A question answered by free generation, scored against reference answers.</summary>
/// <param name="Id">Item id.</param>
/// <param name="Prompt">What the model continues.</param>
/// <param name="GoldAnswers">Accepted answers (at least one); a match with any of them is correct. For numeric matching, each is a number.</param>
/// <param name="Matching">How the generated text is compared with the answers.</param>
/// <param name="StopSequences">Stop sequences for generation (empty: stop at end-of-sequence or the token limit).</param>
public sealed record GenerationItem(string Id, EvaluationPrompt Prompt, IReadOnlyList<string> GoldAnswers, AnswerMatching Matching, IReadOnlyList<string> StopSequences) : EvaluationItem(Id);
