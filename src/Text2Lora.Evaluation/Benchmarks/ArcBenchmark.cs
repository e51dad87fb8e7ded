using Text2Lora.Evaluation.Abstractions;
using Text2Lora.Evaluation.Items;

namespace Text2Lora.Evaluation.Benchmarks;

/// <summary>
/// ARC-Easy / ARC-Challenge (<c>{"id", "question", "choices": {"text", "label"}, "answerKey"}</c>).
/// T2L format: the reference's template ("Answer the question below by choosing the correct choice." + question + the
/// labelled choices + "You must respond with the letter corresponding to the correct choice without any explanation."),
/// with questions of fewer than 4 choices padded with "N/A" as the reference does; the reference template lists exactly
/// 4 choices, here all choices of a 5-choice question are listed. Harness format: <c>"Question: {question}\nAnswer:"</c>
/// with continuations <c>" {choice text}"</c> (no padding).
/// </summary>
public sealed class ArcBenchmark : JsonlBenchmark
{
    /// <summary>Creates the loader for one ARC subset.</summary>
    /// <param name="name"><c>arc_easy</c> or <c>arc_challenge</c>.</param>
    public ArcBenchmark(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
    }

    /// <inheritdoc />
    public override string Name { get; }

    /// <inheritdoc />
    public override bool IsMultipleChoice => true;

    /// <inheritdoc />
    protected override EvaluationItem Parse(JsonlRecord record, BenchmarkPromptFormat format)
    {
        ArgumentNullException.ThrowIfNull(record);
        var id = record.String("id");
        var question = record.String("question");
        var choices = LabeledChoices.Read(record);
        if (format == BenchmarkPromptFormat.Harness)
        {
            var context = EvaluationPrompt.Raw($"Question: {question}\nAnswer:");
            var options = choices.Labels.Select((label, i) => AnswerOption.Create(label, context, " ", choices.Texts[i])).ToList();
            return new MultipleChoiceItem(id, options, choices.GoldIndex, null);
        }

        var padded = choices.PadToFour();
        var prompt = EvaluationPrompt.Chat(
            "Answer the question below by choosing the correct choice.\n\n" + question + "\n\n" + padded.Listing()
            + "\n\nYou must respond with the letter corresponding to the correct choice without any explanation.");
        return T2lLabelItem.Create(id, prompt, padded.Labels, padded.GoldIndex);
    }
}
