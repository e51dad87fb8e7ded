using System.Globalization;
using Text2Lora.Evaluation.Abstractions;
using Text2Lora.Evaluation.Items;

namespace Text2Lora.Evaluation.Benchmarks;

/// <summary>
/// WinoGrande (<c>{"idx", "sentence" with one "_", "option1", "option2", "answer": "1"|"2"}</c>); options labelled
/// <c>1</c> and <c>2</c>. T2L format: the reference's template ("Given the following situation:" + sentence + "Option 1:
/// …", answer with 1 or 2). Harness format: lm-evaluation-harness's partial scoring — option i's context is the sentence
/// up to the blank with the option filled in, and the shared continuation is a space plus the rest of the sentence after
/// the blank (trimmed); since the continuation is the same for both options, every normalisation picks the same answer.
/// </summary>
public sealed class WinoGrandeBenchmark : JsonlBenchmark
{
    /// <inheritdoc />
    public override string Name => "winogrande";

    /// <inheritdoc />
    public override bool IsMultipleChoice => true;

    /// <inheritdoc />
    protected override EvaluationItem Parse(JsonlRecord record, BenchmarkPromptFormat format)
    {
        ArgumentNullException.ThrowIfNull(record);
        var id = record.Int32("idx").ToString(CultureInfo.InvariantCulture);
        var sentence = record.String("sentence");
        var choices = new[] { record.String("option1"), record.String("option2") };
        var answer = record.String("answer");
        var gold = answer switch
        {
            "1" => 0,
            "2" => 1,
            _ => throw record.Error("answer", $"expected \"1\" or \"2\", found \"{answer}\"."),
        };

        if (format == BenchmarkPromptFormat.Harness)
        {
            var blank = sentence.IndexOf('_', StringComparison.Ordinal);
            if (blank < 0)
            {
                throw record.Error("sentence", "has no '_' blank to fill.");
            }

            var rest = sentence[(blank + 1)..].Trim();
            var options = choices
                .Select((choice, i) => AnswerOption.Create((i + 1).ToString(CultureInfo.InvariantCulture), EvaluationPrompt.Raw(sentence[..blank] + choice), " ", rest))
                .ToList();
            return new MultipleChoiceItem(id, options, gold, null);
        }

        var prompt = EvaluationPrompt.Chat(
            $"Given the following situation:\n\n{sentence}\n\nWhich option is correct?\n\nOption 1: {choices[0]}\nOption 2: {choices[1]}\n\n"
            + "You must respond with either `1` or `2` without any explanation.");
        return T2lLabelItem.Create(id, prompt, ["1", "2"], gold);
    }
}
