using System.Text;

namespace Text2Lora.Tokenization.ChatTemplates;

/// <summary>
/// T2L's Gemma-2-2b-it template, whitespace included. Its Jinja text leaves literal whitespace in the
/// output: "\n\n" after the header block, "    \n        " before every turn, and "    " before the
/// generation prompt, which ends with an extra "\n". BOS only with a system message; the loop runs over
/// all messages, so a system message becomes its own <c>system</c> turn (the merge branch never fires
/// because the first message is then the system one). Assistant is renamed <c>model</c>; content is trimmed.
/// </summary>
internal sealed class GemmaChatTemplate(string bosToken) : ChatTemplate
{
    public override ChatTemplateFamily Family => ChatTemplateFamily.Gemma;

    public override string Render(IReadOnlyList<ChatTurn> messages, bool addGenerationPrompt = true)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var prompt = new StringBuilder();
        if (messages.Count > 0 && messages[0].Role == "system")
        {
            prompt.Append(bosToken);
        }

        prompt.Append("\n\n");
        foreach (ChatTurn message in messages)
        {
            string role = message.Role == "assistant" ? "model" : message.Role;
            prompt.Append("    \n        ")
                .Append("<start_of_turn>").Append(role).Append('\n')
                .Append(Llama3ChatTemplate.JinjaTrim(message.Content))
                .Append("<end_of_turn>\n");
        }

        if (addGenerationPrompt)
        {
            prompt.Append("    <start_of_turn>model\n\n");
        }

        return prompt.ToString();
    }
}
