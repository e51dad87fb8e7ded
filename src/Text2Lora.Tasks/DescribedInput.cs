namespace Text2Lora.Tasks;

/// <summary>
/// The plain-text prompt of "base model + task description in the prompt" (the T2L paper's prompting baseline), used
/// for pretraining the tiny base model and for evaluating that baseline: <c>{description}\nInput: {input}</c>. Without
/// a description the prompt is the input alone, as <see cref="PromptFormatter"/> shows it to adapted models. The
/// <c>Input: </c> marker keeps the input's tokens identical in both forms (SentencePiece gives a word after a space the
/// same pieces as a word at the start of the text, but not a word right after a newline).
/// </summary>
public static class DescribedInput
{
    /// <summary>The marker between the description and the input.</summary>
    public const string Separator = "\nInput: ";

    /// <summary>The prompt text for <paramref name="input"/>, with <paramref name="description"/> before it when given.</summary>
    public static string Compose(string? description, string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return string.IsNullOrWhiteSpace(description) ? input : description.Trim() + Separator + input;
    }
}
