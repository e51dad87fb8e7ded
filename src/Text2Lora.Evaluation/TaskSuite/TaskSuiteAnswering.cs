using Text2Lora.TextGeneration;
using Text2Lora.Abstractions;
using Text2Lora.Lora;
using Text2Lora.Tokenization;
using Text2Lora.Tasks;

namespace Text2Lora.Evaluation.TaskSuite;

/// <summary>
/// Answers task-suite prompts with a base model by greedy generation, in batches, each prompt with its own adapter
/// (or none): the prompt text is encoded as the trainers' <see cref="PromptFormatter"/> encodes it for a base model
/// (the tokenizer's BOS + the text), generation stops at EOS or after <c>maxNewTokens</c>, and the decoded text is
/// scored with <see cref="TaskScoringRules"/>. A batch mixing adapters uses per-sequence adapters, so the result of a
/// prompt does not depend on which adapter its neighbours carry.
/// </summary>
public static class TaskSuiteAnswering
{
    /// <summary>Answers <paramref name="prompts"/> in order; reports the number answered so far.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> or <paramref name="maxNewTokens"/> is not positive.</exception>
    public static IReadOnlyList<TaskSuiteAnswer> Answer(
        IBaseModel model,
        ITextTokenizer tokenizer,
        IReadOnlyList<TaskSuitePrompt> prompts,
        int batchSize,
        int maxNewTokens,
        IProgress<int>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxNewTokens);
        var formatter = new PromptFormatter(tokenizer, chatTemplate: null);
        var options = new GenerationOptions { MaxNewTokens = maxNewTokens };
        var answers = new List<TaskSuiteAnswer>(prompts.Count);
        foreach (var batch in prompts.Chunk(batchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var ids = batch.Select(p => (IReadOnlyList<int>)tokenizer.Encode(formatter.PromptText(p.PromptText), addSpecialTokens: true)).ToList();
            using var adapters = batch.Any(p => p.Adapter is not null) ? model.PrepareAdapters(batch.Select(p => p.Adapter).ToList()) : null;
            using var result = model.Generate(ids, options, adapters, cancellationToken);
            for (var i = 0; i < batch.Length; i++)
            {
                var generated = tokenizer.Decode(result.Sequences[i].TokenIds, skipSpecialTokens: true).Trim();
                answers.Add(new TaskSuiteAnswer(batch[i], generated, TaskScoringRules.IsCorrect(batch[i].Scoring, generated, batch[i].Expected)));
            }

            progress?.Report(answers.Count);
        }

        return answers;
    }
}
