using Text2Lora.Evaluation.Abstractions;
using Text2Lora.Evaluation.Items;

namespace Text2Lora.Evaluation.Benchmarks;

/// <summary>
/// OpenBookQA main (<c>{"id", "question_stem", "choices": {"text", "label"}, "answerKey"}</c>).
/// T2L format: the reference's template ("Complete the following passage or answer the question by choosing the correct
/// choice." + two blank lines + stem + labelled choices + "You must respond with the letter corresponding to the correct
/// choice (A,B,C,D) without any explanation."). Harness format: the stem as context, continuations <c>" {choice text}"</c>.
/// </summary>
public sealed class OpenBookQaBenchmark : JsonlBenchmark
{
    /// <inheritdoc />
    public override string Name => "openbookqa";

    /// <inheritdoc />
    public override bool IsMultipleChoice => true;

    /// <inheritdoc />
    protected override EvaluationItem Parse(JsonlRecord record, BenchmarkPromptFormat format)
    {
        ArgumentNullException.ThrowIfNull(record);
        var id = record.String("id");
        var stem = record.String("question_stem");
        var choices = LabeledChoices.Read(record);
        if (format == BenchmarkPromptFormat.Harness)
        {
            var context = EvaluationPrompt.Raw(stem);
            var options = choices.Labels.Select((label, i) => AnswerOption.Create(label, context, " ", choices.Texts[i])).ToList();
            return new MultipleChoiceItem(id, options, choices.GoldIndex, null);
        }

        var prompt = EvaluationPrompt.Chat(
            "Complete the following passage or answer the question by choosing the correct choice.\n\n\n" + stem + "\n\n"
            + choices.Listing()
            + "\n\nYou must respond with the letter corresponding to the correct choice (A,B,C,D) without any explanation.");
        return T2lLabelItem.Create(id, prompt, choices.Labels, choices.GoldIndex);
    }
}
