using System.Text.Json.Nodes;

namespace Text2Lora.Tokenization.ChatTemplates;

/// <summary>
/// Renders a conversation to the exact prompt string a model's Jinja chat template yields under HF
/// <c>apply_chat_template</c> (<c>trim_blocks</c>, <c>lstrip_blocks</c>, no tools). One hand-written
/// renderer per family; the Mistral, Llama-3.1 and Gemma renderers follow the T2L reference's
/// templates (its <c>chat_templates/</c> folder), which differ from the models' original ones.
/// </summary>
public abstract class ChatTemplate
{
    private protected ChatTemplate()
    {
    }

    /// <summary>Which format this renders.</summary>
    public abstract ChatTemplateFamily Family { get; }

    /// <summary>Renders <paramref name="messages"/>; <paramref name="addGenerationPrompt"/> appends the assistant header where the template has one.</summary>
    /// <exception cref="ArgumentException">A role or message order the template rejects (its <c>raise_exception</c>).</exception>
    public abstract string Render(IReadOnlyList<ChatTurn> messages, bool addGenerationPrompt = true);

    /// <summary>A renderer for <paramref name="family"/>; <paramref name="bosToken"/>/<paramref name="eosToken"/> are the token strings the template inserts.</summary>
    public static ChatTemplate Create(ChatTemplateFamily family, string? bosToken, string? eosToken) => family switch
    {
        ChatTemplateFamily.Mistral => new MistralChatTemplate(bosToken ?? string.Empty, eosToken ?? string.Empty),
        ChatTemplateFamily.Llama3 => new Llama3ChatTemplate(bosToken ?? string.Empty, defaultSystemHeader: false),
        ChatTemplateFamily.Gemma => new GemmaChatTemplate(bosToken ?? string.Empty),
        ChatTemplateFamily.ChatMl => new ChatMlChatTemplate(ChatMlChatTemplate.Qwen2DefaultSystemPrompt),
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, "unknown chat template family"),
    };

    /// <summary>Recognises the family of a Jinja chat template by its markers; null when unknown.</summary>
    public static ChatTemplateFamily? Recognize(string templateText)
    {
        ArgumentNullException.ThrowIfNull(templateText);
        return templateText switch
        {
            _ when templateText.Contains("<|start_header_id|>", StringComparison.Ordinal) => ChatTemplateFamily.Llama3,
            _ when templateText.Contains("<start_of_turn>", StringComparison.Ordinal) => ChatTemplateFamily.Gemma,
            _ when templateText.Contains("<|im_start|>", StringComparison.Ordinal) => ChatTemplateFamily.ChatMl,
            _ when templateText.Contains("[INST]", StringComparison.Ordinal) => ChatTemplateFamily.Mistral,
            _ => null,
        };
    }

    /// <summary>
    /// The chat template of a model folder: <c>tokenizer_config.json</c>'s <c>chat_template</c> (or a
    /// <c>chat_template.jinja</c> file) recognised by its text, else the family of <c>config.json</c>'s
    /// <c>model_type</c>. Null for a base model without a chat template.
    /// </summary>
    /// <exception cref="TokenizerFormatException">A template is present but of no supported family.</exception>
    public static ChatTemplate? FromModelDirectory(string modelDirectory)
    {
        TokenizerConfig config = TokenizerConfig.Load(modelDirectory);
        string jinjaPath = Path.Combine(modelDirectory, "chat_template.jinja");
        string? text = config.ChatTemplate ?? (File.Exists(jinjaPath) ? File.ReadAllText(jinjaPath) : null);
        if (text is null)
        {
            return null;
        }

        ChatTemplateFamily family = Recognize(text) ?? FamilyOfModelType(modelDirectory)
            ?? throw new TokenizerFormatException(
                Path.Combine(modelDirectory, TokenizerConfig.FileName),
                "'chat_template' is of no supported family (Mistral [INST], Llama-3 headers, Gemma turns, ChatML)");

        return family switch
        {
            // Meta's own Llama-3.1 template always writes a system header with the knowledge cutoff.
            ChatTemplateFamily.Llama3 => new Llama3ChatTemplate(config.BosToken ?? string.Empty, text.Contains("Cutting Knowledge Date", StringComparison.Ordinal)),
            ChatTemplateFamily.ChatMl => new ChatMlChatTemplate(ChatMlChatTemplate.DefaultSystemPromptOf(text)),
            _ => Create(family, config.BosToken, config.EosToken),
        };
    }

    private static ChatTemplateFamily? FamilyOfModelType(string modelDirectory)
    {
        string path = Path.Combine(modelDirectory, "config.json");
        if (!File.Exists(path))
        {
            return null;
        }

        return (string?)TokenizerConfig.ReadObject(path)["model_type"] switch
        {
            "mistral" => ChatTemplateFamily.Mistral,
            "gemma" or "gemma2" => ChatTemplateFamily.Gemma,
            "qwen2" => ChatTemplateFamily.ChatMl,
            _ => null,
        };
    }

    /// <summary>The template's <c>raise_exception</c>.</summary>
    private protected static ArgumentException Reject(string message) => new(message, "messages");
}
