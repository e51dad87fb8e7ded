namespace Text2Lora.Evaluation.Abstractions;

/// <summary>How an <see cref="IEvaluationModel"/> turns an <see cref="EvaluationPrompt"/> into model input.</summary>
public enum PromptStyle
{
    /// <summary>
    /// The prompt text is fed to the model verbatim (plus the tokenizer's usual BOS), as lm-evaluation-harness does for
    /// its zero-shot cloze prompts. System message and assistant prefill are not used.
    /// </summary>
    Raw,

    /// <summary>
    /// The prompt text is the user turn of a chat: the model wraps the optional system message and the user text in its
    /// chat template with the generation prompt, then appends the assistant prefill (the T2L reference's evaluation).
    /// A model without a chat template (a plain base model) uses the user text as is, as the trainers' prompt formatter does
    /// (after the system message on its own line, if there is one).
    /// </summary>
    Chat,
}
