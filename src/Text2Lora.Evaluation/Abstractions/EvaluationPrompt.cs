namespace Text2Lora.Evaluation.Abstractions;

/// <summary>The text an item shows the model, before any chat template or tokenization.</summary>
/// <param name="Text">The prompt (<see cref="PromptStyle.Raw"/>) or the user message (<see cref="PromptStyle.Chat"/>).</param>
/// <param name="Style">Whether <paramref name="Text"/> is used verbatim or as a chat user turn.</param>
/// <param name="SystemMessage">Chat only: the system message, or empty for none.</param>
/// <param name="AssistantPrefill">Chat only: text placed at the start of the assistant turn, which the continuation or generation follows (T2L's GSM8K uses "Let's think step by step. ").</param>
public sealed record EvaluationPrompt(string Text, PromptStyle Style, string SystemMessage = "", string AssistantPrefill = "")
{
    /// <summary>A prompt used verbatim.</summary>
    public static EvaluationPrompt Raw(string text) => new(text, PromptStyle.Raw);

    /// <summary>A chat prompt: <paramref name="userMessage"/> as the user turn, optional system message and assistant prefill.</summary>
    public static EvaluationPrompt Chat(string userMessage, string systemMessage = "", string assistantPrefill = "") =>
        new(userMessage, PromptStyle.Chat, systemMessage, assistantPrefill);
}
