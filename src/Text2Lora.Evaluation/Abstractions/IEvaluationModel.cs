namespace Text2Lora.Evaluation.Abstractions;

/// <summary>
/// The two things the harness asks of a language model (a base model, with or without a LoRA adapter).
/// Text in, numbers or text out: tokenization and chat templates are the implementation's business, so one small
/// adapter class over the core base model and its tokenizer is all a new backend needs.
/// </summary>
/// <remarks>
/// Contract for <see cref="ScoreContinuationsAsync"/>, following lm-evaluation-harness's <c>loglikelihood</c>: render the
/// context (chat template for <see cref="PromptStyle.Chat"/>), tokenize context + continuation together and take the
/// continuation's tokens as the tokens after the context's, so a leading space joins the continuation's first token as it
/// would in running text; score under teacher forcing, no sampling. Contract for <see cref="GenerateAsync"/>: greedy
/// decoding, stopping at the model's end-of-sequence token, at <see cref="TextGenerationRequest.MaxNewTokens"/> or before
/// the first stop sequence; the result is the new text only (no prompt, no prefill, no stop sequence, special tokens
/// removed).
/// </remarks>
public interface IEvaluationModel
{
    /// <summary>Scores each request; the result has one entry per request, in order.</summary>
    Task<IReadOnlyList<ContinuationScore>> ScoreContinuationsAsync(IReadOnlyList<ContinuationRequest> requests, CancellationToken cancellationToken = default);

    /// <summary>Generates greedily and returns the new text.</summary>
    Task<string> GenerateAsync(TextGenerationRequest request, CancellationToken cancellationToken = default);
}
