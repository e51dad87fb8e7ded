using System.Globalization;
using Text2Lora.Evaluation.Abstractions;
using Text2Lora.Evaluation.Items;

namespace Text2Lora.Evaluation.Benchmarks;

/// <summary>
/// BoolQ (<c>{"idx", "question", "passage", "answer": bool}</c>); options labelled <c>false</c> and <c>true</c>, in that order.
/// T2L format: <c>"{passage}\n\nQuestion: {question}?\n\nPlease answer with only `true` or `false` without any explanation."</c>,
/// continuations <c>false</c>/<c>true</c>. Harness format: <c>"{passage}\nQuestion: {question}?\nAnswer:"</c>,
/// continuations <c>" no"</c>/<c>" yes"</c>.
/// </summary>
public sealed class BoolQBenchmark : JsonlBenchmark
{
    /// <inheritdoc />
    public override string Name => "boolq";

    /// <inheritdoc />
    public override bool IsMultipleChoice => true;

    /// <inheritdoc />
    protected override EvaluationItem Parse(JsonlRecord record, BenchmarkPromptFormat format)
    {
        ArgumentNullException.ThrowIfNull(record);
        var id = record.Int32("idx").ToString(CultureInfo.InvariantCulture);
        var question = record.String("question");
        var passage = record.String("passage");
        var gold = record.Boolean("answer") ? 1 : 0;
        if (format == BenchmarkPromptFormat.Harness)
        {
            var context = EvaluationPrompt.Raw($"{passage}\nQuestion: {question}?\nAnswer:");
            return new MultipleChoiceItem(
                id,
                [AnswerOption.Create("false", context, " ", "no"), AnswerOption.Create("true", context, " ", "yes")],
                gold,
                null);
        }

        var prompt = EvaluationPrompt.Chat($"{passage}\n\nQuestion: {question}?\n\nPlease answer with only `true` or `false` without any explanation.");
        return T2lLabelItem.Create(id, prompt, ["false", "true"], gold);
    }
}
