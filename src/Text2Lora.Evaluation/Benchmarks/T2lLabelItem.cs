using Text2Lora.Evaluation.Abstractions;
using Text2Lora.Evaluation.Items;

namespace Text2Lora.Evaluation.Benchmarks;

/// <summary>Multiple-choice items of the T2L format: the prompt lists the choices, the answer is a label.</summary>
internal static class T2lLabelItem
{
    /// <summary>
    /// An item whose options are the labels themselves, scored right after the prompt with no delimiter (the assistant turn
    /// starts with the label), and whose <see cref="MultipleChoiceItem.QuestionPrompt"/> is the same prompt.
    /// </summary>
    public static MultipleChoiceItem Create(string id, EvaluationPrompt prompt, IReadOnlyList<string> labels, int goldIndex)
    {
        var options = labels.Select(label => AnswerOption.Create(label, prompt, "", label)).ToList();
        return new MultipleChoiceItem(id, options, goldIndex, prompt);
    }
}
