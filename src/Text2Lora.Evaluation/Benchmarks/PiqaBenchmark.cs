using System.Globalization;
using Text2Lora.Evaluation.Abstractions;
using Text2Lora.Evaluation.Items;

namespace Text2Lora.Evaluation.Benchmarks;

/// <summary>
/// PIQA (<c>{"idx", "goal", "sol1", "sol2", "label": 0|1}</c>); options labelled <c>0</c> (sol1) and <c>1</c> (sol2).
/// T2L format: the reference's template (instructions, the goal between triple quotes, "0: sol1" / "1: sol2", answer
/// with 0 or 1). Harness format: <c>"Question: {goal}\nAnswer:"</c> with continuations <c>" {sol}"</c>.
/// </summary>
public sealed class PiqaBenchmark : JsonlBenchmark
{
    /// <inheritdoc />
    public override string Name => "piqa";

    /// <inheritdoc />
    public override bool IsMultipleChoice => true;

    /// <inheritdoc />
    protected override EvaluationItem Parse(JsonlRecord record, BenchmarkPromptFormat format)
    {
        ArgumentNullException.ThrowIfNull(record);
        var id = record.Int32("idx").ToString(CultureInfo.InvariantCulture);
        var goal = record.String("goal");
        var solutions = new[] { record.String("sol1"), record.String("sol2") };
        var gold = record.Int32("label");
        if (gold is not (0 or 1))
        {
            throw record.Error("label", $"expected 0 or 1, found {gold}.");
        }

        if (format == BenchmarkPromptFormat.Harness)
        {
            var context = EvaluationPrompt.Raw($"Question: {goal}\nAnswer:");
            return new MultipleChoiceItem(
                id,
                [AnswerOption.Create("0", context, " ", solutions[0]), AnswerOption.Create("1", context, " ", solutions[1])],
                gold,
                null);
        }

        var prompt = EvaluationPrompt.Chat(
            "Choose the option that either answers the question, completes the sentence, or solves the problem. "
            + "Pay attention to the properties of the objects in the question and how they interact with each other. "
            + "If both options are correct, choose the one that is more convenient or more common.\n\n"
            + $"\"\"\"\n{goal}\n\"\"\"\n\n0: {solutions[0]}\n1: {solutions[1]}\n\n"
            + "You must respond with either `0` or `1` without any explanation.");
        return T2lLabelItem.Create(id, prompt, ["0", "1"], gold);
    }
}
