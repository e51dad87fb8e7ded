using System.Text;

namespace Text2Lora.Tokenization.ChatTemplates;

/// <summary>
/// Llama-3.1 Instruct, without tools. T2L's variant writes BOS and a system header only when there is
/// a system message; Meta's original (<paramref name="defaultSystemHeader"/>) always starts with BOS
/// and a system header holding "Cutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n"
/// before the (possibly empty) system message. Every message is
/// <c>&lt;|start_header_id|&gt;role&lt;|end_header_id|&gt;\n\n + content.trim() + &lt;|eot_id|&gt;</c>.
/// </summary>
internal sealed class Llama3ChatTemplate(string bosToken, bool defaultSystemHeader) : ChatTemplate
{
    private const string DateString = "26 Jul 2024";

    public override ChatTemplateFamily Family => ChatTemplateFamily.Llama3;

    public override string Render(IReadOnlyList<ChatTurn> messages, bool addGenerationPrompt = true)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var prompt = new StringBuilder();
        int start = 0;
        string? systemMessage = null;
        if (messages.Count > 0 && messages[0].Role == "system")
        {
            systemMessage = JinjaTrim(messages[0].Content);
            start = 1;
        }

        if (systemMessage is not null || defaultSystemHeader)
        {
            prompt.Append(bosToken).Append(Header("system"));
            if (defaultSystemHeader)
            {
                prompt.Append("Cutting Knowledge Date: December 2023\n").Append("Today Date: ").Append(DateString).Append("\n\n");
            }

            prompt.Append(systemMessage).Append("<|eot_id|>");
        }

        for (int i = start; i < messages.Count; i++)
        {
            prompt.Append(Header(messages[i].Role)).Append(JinjaTrim(messages[i].Content)).Append("<|eot_id|>");
        }

        if (addGenerationPrompt)
        {
            prompt.Append(Header("assistant"));
        }

        return prompt.ToString();
    }

    private static string Header(string role) => $"<|start_header_id|>{role}<|end_header_id|>\n\n";

    /// <summary>Jinja's <c>trim</c> filter (Python <c>str.strip()</c>: all Unicode whitespace).</summary>
    internal static string JinjaTrim(string text) => text.Trim();
}
