using System.Text;

namespace Text2Lora.Tokenization.ChatTemplates;

/// <summary>
/// ChatML as in Qwen2 / Qwen2.5 Instruct (no tools): when the first message is not a system message a
/// default system turn is written first; every message is
/// <c>&lt;|im_start|&gt;role\ncontent&lt;|im_end|&gt;\n</c> (content not trimmed); the generation
/// prompt is <c>&lt;|im_start|&gt;assistant\n</c>. No BOS.
/// </summary>
internal sealed class ChatMlChatTemplate(string? defaultSystemPrompt) : ChatTemplate
{
    /// <summary>Qwen2-Instruct's default system prompt.</summary>
    public const string Qwen2DefaultSystemPrompt = "You are a helpful assistant.";

    /// <summary>Qwen2.5-Instruct's default system prompt.</summary>
    public const string Qwen25DefaultSystemPrompt = "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.";

    public override ChatTemplateFamily Family => ChatTemplateFamily.ChatMl;

    /// <summary>The default system prompt a ChatML template writes, found in its text (null when it has none).</summary>
    public static string? DefaultSystemPromptOf(string templateText) =>
        templateText.Contains(Qwen25DefaultSystemPrompt, StringComparison.Ordinal) ? Qwen25DefaultSystemPrompt
        : templateText.Contains(Qwen2DefaultSystemPrompt, StringComparison.Ordinal) ? Qwen2DefaultSystemPrompt
        : null;

    public override string Render(IReadOnlyList<ChatTurn> messages, bool addGenerationPrompt = true)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var prompt = new StringBuilder();
        if (defaultSystemPrompt is not null && messages.Count > 0 && messages[0].Role != "system")
        {
            Turn(prompt, "system", defaultSystemPrompt);
        }

        foreach (ChatTurn message in messages)
        {
            Turn(prompt, message.Role, message.Content);
        }

        if (addGenerationPrompt)
        {
            prompt.Append("<|im_start|>assistant\n");
        }

        return prompt.ToString();
    }

    private static void Turn(StringBuilder prompt, string role, string content) =>
        prompt.Append("<|im_start|>").Append(role).Append('\n').Append(content).Append("<|im_end|>\n");
}
