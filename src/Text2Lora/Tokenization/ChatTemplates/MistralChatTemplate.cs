using System.Text;

namespace Text2Lora.Tokenization.ChatTemplates;

/// <summary>
/// T2L's Mistral-7B-Instruct-v0.2 template: BOS only when there is a system message; the system
/// message is merged into the first user turn (<c>" [INST] " + system + "\n\n" + user + " [/INST]"</c>)
/// when the first remaining message is a user message (otherwise it is dropped, as the template does);
/// assistant turns are <c>" " + content + eos</c>; no generation prompt; content is not trimmed.
/// </summary>
internal sealed class MistralChatTemplate(string bosToken, string eosToken) : ChatTemplate
{
    public override ChatTemplateFamily Family => ChatTemplateFamily.Mistral;

    public override string Render(IReadOnlyList<ChatTurn> messages, bool addGenerationPrompt = true)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var prompt = new StringBuilder();
        string? systemMessage = null;
        int start = 0;
        if (messages.Count > 0 && messages[0].Role == "system")
        {
            prompt.Append(bosToken);
            systemMessage = messages[0].Content;
            start = 1;
        }

        for (int i = start; i < messages.Count; i++)
        {
            ChatTurn message = messages[i];
            switch (message.Role)
            {
                case "user" when i == start && systemMessage is not null:
                    prompt.Append(" [INST] ").Append(systemMessage).Append("\n\n").Append(message.Content).Append(" [/INST]");
                    break;
                case "user":
                    prompt.Append(" [INST] ").Append(message.Content).Append(" [/INST]");
                    break;
                case "assistant":
                    prompt.Append(' ').Append(message.Content).Append(eosToken);
                    break;
                default:
                    throw Reject("Only user and assistant roles are supported, with the exception of an initial optional system message!");
            }
        }

        return prompt.ToString();
    }
}
