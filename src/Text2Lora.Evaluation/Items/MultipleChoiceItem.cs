using Text2Lora.Evaluation.Abstractions;

namespace Text2Lora.Evaluation.Items;

/// <summary>A question with a fixed set of answers, exactly one of them correct.</summary>
/// <param name="Id">Item id.</param>
/// <param name="Options">The choices, in the benchmark's order (at least two).</param>
/// <param name="GoldIndex">Index of the correct choice in <paramref name="Options"/>.</param>
/// <param name="QuestionPrompt">
/// The prompt that lists the choices and asks for a label, when the prompt format has one (the T2L format); it enables
/// scoring by generation, where the generated text is matched to the option labels. Null for cloze formats.
/// </param>
public sealed record MultipleChoiceItem(string Id, IReadOnlyList<AnswerOption> Options, int GoldIndex, EvaluationPrompt? QuestionPrompt) : EvaluationItem(Id)
{
    /// <summary>The correct option.</summary>
    public AnswerOption Gold => Options[GoldIndex];
}
