using System.Globalization;
using Text2Lora.Evaluation.Abstractions;
using Text2Lora.Evaluation.Items;
using Text2Lora.Evaluation.Scoring;

namespace Text2Lora.Evaluation.Benchmarks;

/// <summary>
/// GSM8K (<c>{"question", "answer"}</c>, the answer a worked solution ending in <c>#### N</c>); ids are the 0-based line
/// positions. Scored by generation with <see cref="AnswerMatching.NumericValue"/> against N.
/// T2L format: chat user turn <c>"Please answer the following question: {question}"</c> with the assistant prefill
/// <c>"Let's think step by step. "</c>, generation ends at end-of-sequence. Harness format (zero-shot):
/// <c>"Question: {question}\nAnswer:"</c>, generation stops at <c>"Question:"</c>.
/// </summary>
public sealed class Gsm8kBenchmark : JsonlBenchmark
{
    /// <inheritdoc />
    public override string Name => "gsm8k";

    /// <inheritdoc />
    public override bool IsMultipleChoice => false;

    /// <inheritdoc />
    protected override EvaluationItem Parse(JsonlRecord record, BenchmarkPromptFormat format)
    {
        ArgumentNullException.ThrowIfNull(record);
        var question = record.String("question");
        var solution = record.String("answer");
        var gold = NumericAnswer.ExtractGold(solution)
            ?? throw record.Error("answer", $"has no number after '{NumericAnswer.GoldMarker}'.");
        var id = record.Position.ToString(CultureInfo.InvariantCulture);
        return format == BenchmarkPromptFormat.Harness
            ? new GenerationItem(id, EvaluationPrompt.Raw($"Question: {question}\nAnswer:"), [gold], AnswerMatching.NumericValue, ["Question:"])
            : new GenerationItem(id, EvaluationPrompt.Chat($"Please answer the following question: {question}", assistantPrefill: "Let's think step by step. "), [gold], AnswerMatching.NumericValue, []);
    }
}
