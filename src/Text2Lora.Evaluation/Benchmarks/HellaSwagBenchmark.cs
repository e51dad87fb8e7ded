using System.Globalization;
using Text2Lora.Evaluation.Abstractions;
using Text2Lora.Evaluation.Items;

namespace Text2Lora.Evaluation.Benchmarks;

/// <summary>
/// HellaSwag (<c>{"idx", "activity_label", "ctx", "endings": [4 strings], "label": "0".."3"}</c>); options labelled
/// <c>0</c>..<c>3</c>. T2L format: the reference's template (the passage and the four numbered endings, answer with the
/// number). Harness format: <c>"{activity_label}: {ctx}"</c> with continuations <c>" {ending}"</c>; the shared samples'
/// <c>ctx</c> is already pre-processed but its second half is not capitalised as the harness does (the raw
/// <c>ctx_a</c>/<c>ctx_b</c> are not available), so harness numbers can differ slightly from published ones.
/// </summary>
public sealed class HellaSwagBenchmark : JsonlBenchmark
{
    /// <inheritdoc />
    public override string Name => "hellaswag";

    /// <inheritdoc />
    public override bool IsMultipleChoice => true;

    /// <inheritdoc />
    protected override EvaluationItem Parse(JsonlRecord record, BenchmarkPromptFormat format)
    {
        ArgumentNullException.ThrowIfNull(record);
        var id = record.Int32("idx").ToString(CultureInfo.InvariantCulture);
        var context = record.String("ctx");
        var endings = record.StringArray("endings");
        if (endings.Count != 4)
        {
            throw record.Error("endings", $"expected 4 endings, found {endings.Count}.");
        }

        var labelText = record.String("label");
        if (!int.TryParse(labelText, NumberStyles.None, CultureInfo.InvariantCulture, out var gold) || gold >= endings.Count)
        {
            throw record.Error("label", $"expected \"0\" to \"3\", found \"{labelText}\".");
        }

        var labels = Enumerable.Range(0, endings.Count).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList();
        if (format == BenchmarkPromptFormat.Harness)
        {
            var activity = record.String("activity_label");
            var prompt = EvaluationPrompt.Raw($"{activity}: {context}");
            var options = labels.Select((label, i) => AnswerOption.Create(label, prompt, " ", endings[i])).ToList();
            return new MultipleChoiceItem(id, options, gold, null);
        }

        var question = EvaluationPrompt.Chat(
            "You are provided with an incomplete passage below as well as 4 choices of continuation with only one of them being the correct ending. "
            + "Treat the endings as being labelled 0, 1, 2, 3 in order.\n\n"
            + $"Passage: {context}\n\n0: {endings[0]}\n1: {endings[1]}\n2: {endings[2]}\n3: {endings[3]}\n\n"
            + "You must respond with the only number corresponding to the correct ending (0,1,2,3) for the passage without any explanation.");
        return T2lLabelItem.Create(id, question, labels, gold);
    }
}
