namespace Text2Lora.TextGeneration;

/// <summary>
/// A prompt does not fit the model's context (with room for one new token). Shorten it, or set
/// <see cref="GenerationOptions.TruncatePrompt"/> (<c>--truncate-prompt</c> on the command line) to keep its last tokens.
/// </summary>
public sealed class PromptTooLongException : ArgumentException
{
    /// <summary>Creates the error for prompt <paramref name="promptIndex"/> of <paramref name="promptTokens"/> tokens.</summary>
    public PromptTooLongException(int promptIndex, int promptTokens, int contextLength)
        : base($"Prompt {promptIndex} has {promptTokens} tokens; the model's context holds {contextLength} positions for the prompt and the new tokens together. " +
               "Shorten the prompt or let generation keep its last tokens (GenerationOptions.TruncatePrompt, --truncate-prompt).")
    {
        PromptIndex = promptIndex;
        PromptTokens = promptTokens;
        ContextLength = contextLength;
    }

    /// <summary>Which prompt of the batch is too long.</summary>
    public int PromptIndex { get; }

    /// <summary>Its length in tokens.</summary>
    public int PromptTokens { get; }

    /// <summary>The model's context (<c>max_position_embeddings</c>).</summary>
    public int ContextLength { get; }
}
