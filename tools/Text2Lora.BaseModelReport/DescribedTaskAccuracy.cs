using Text2Lora.Abstractions;
using Text2Lora.Generation;
using Text2Lora.Tokenization;
using Text2Lora.Training.Data;

namespace Text2Lora.BaseModelReport;

/// <summary>
/// Exact-match accuracy of a base model on a task's test split, with or without the task's descriptions in the prompt
/// (<see cref="DescribedInput"/>; test item i gets description i mod count, so every description is used). The prompt is
/// encoded as <see cref="PromptFormatter"/> encodes it for training (BOS + prompt text); generation is greedy through
/// <see cref="IBaseModel.Generate"/> in batches, stopping at EOS; the decoded text, trimmed, must equal the output exactly
/// (case-sensitive, the task suite's <c>exact</c> rule; for the suite's numeric tasks the output is a bare number, so
/// this is at least as strict as its <c>numeric</c> rule).
/// </summary>
internal static class DescribedTaskAccuracy
{
    /// <summary>One scored test item.</summary>
    internal sealed record ScoredItem(string Prompt, string Expected, string Generated, bool Correct);

    /// <summary>Scores the first <paramref name="limit"/> test examples of <paramref name="task"/>.</summary>
    public static IReadOnlyList<ScoredItem> Score(IBaseModel model, ITextTokenizer tokenizer, TrainingTask task, bool withDescription, int limit, int batchSize, int maxNewTokens)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(task);
        var formatter = new PromptFormatter(tokenizer, chatTemplate: null);
        var items = task.Test.Take(limit)
            .Select((example, i) => (Prompt: DescribedInput.Compose(withDescription ? task.Descriptions[i % task.Descriptions.Count] : null, example.Input), example.Output))
            .ToList();
        var scored = new List<ScoredItem>(items.Count);
        var options = new GenerationOptions { MaxNewTokens = maxNewTokens };
        foreach (var chunk in items.Chunk(batchSize))
        {
            var prompts = chunk.Select(item => tokenizer.Encode(formatter.PromptText(item.Prompt), addSpecialTokens: true)).ToList();
            using var result = model.Generate(prompts, options);
            for (var i = 0; i < chunk.Length; i++)
            {
                var generated = tokenizer.Decode(result.Sequences[i].TokenIds, skipSpecialTokens: true).Trim();
                scored.Add(new ScoredItem(chunk[i].Prompt, chunk[i].Output, generated, string.Equals(generated, chunk[i].Output.Trim(), StringComparison.Ordinal)));
            }
        }

        return scored;
    }
}
