namespace Text2Lora.Tokenization.ChatTemplates;

/// <summary>
/// A conversation as model input: through the model's chat template with the generation prompt when it has one
/// (encoded without added special tokens, since the template writes them, as HF <c>apply_chat_template</c> does), else
/// as plain text — the messages' contents joined by newlines, so a single user message is its text as is — encoded
/// with the tokenizer's own special tokens (BOS), as a plain base model is prompted. Optional assistant prefill text
/// follows either way.
/// </summary>
public static class ChatPrompt
{
    /// <summary>The prompt text for <paramref name="messages"/> (see the class remarks); <paramref name="template"/> null: plain text.</summary>
    /// <exception cref="ArgumentException">No messages, or a role or order the template rejects.</exception>
    public static string Render(ChatTemplate? template, IReadOnlyList<ChatTurn> messages, string assistantPrefill = "")
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
        {
            throw new ArgumentException("A conversation needs at least one message.", nameof(messages));
        }

        var text = template is null
            ? string.Join('\n', messages.Select(m => m.Content).Where(c => c.Length > 0))
            : template.Render(messages, addGenerationPrompt: true);
        return text + assistantPrefill;
    }

    /// <summary>Encodes text made by <see cref="Render"/> with the same <paramref name="template"/> (or a prefix or extension of it).</summary>
    public static IReadOnlyList<int> Encode(ITextTokenizer tokenizer, ChatTemplate? template, string renderedText)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        return tokenizer.Encode(renderedText, addSpecialTokens: template is null);
    }

    /// <summary>Renders and encodes <paramref name="messages"/>.</summary>
    public static IReadOnlyList<int> Encode(ITextTokenizer tokenizer, ChatTemplate? template, IReadOnlyList<ChatTurn> messages, string assistantPrefill = "") =>
        Encode(tokenizer, template, Render(template, messages, assistantPrefill));
}
