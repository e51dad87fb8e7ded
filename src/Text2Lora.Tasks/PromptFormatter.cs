using Text2Lora.Tokenization;
using Text2Lora.Tokenization.ChatTemplates;

namespace Text2Lora.Tasks;

/// <summary>
/// Turns an example into ids and labels with the loss on the completion only. Instruct models: the
/// input as one user message through the model's chat template with the generation prompt, encoded
/// without added special tokens (as HF <c>apply_chat_template(tokenize=True)</c> does); base models:
/// the input text with the tokenizer's own special tokens (BOS). The completion is the output
/// encoded without special tokens, followed by the first EOS id so the model learns to stop.
/// </summary>
public sealed class PromptFormatter
{
    private readonly ITextTokenizer _tokenizer;
    private readonly ChatTemplate? _chatTemplate;

    /// <summary>Creates a formatter; a null <paramref name="chatTemplate"/> means a non-chat base model.</summary>
    public PromptFormatter(ITextTokenizer tokenizer, ChatTemplate? chatTemplate)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        _tokenizer = tokenizer;
        _chatTemplate = chatTemplate;
    }

    /// <summary>The base model's tokenizer.</summary>
    public ITextTokenizer Tokenizer => _tokenizer;

    /// <summary>The prompt text the model sees for <paramref name="input"/>.</summary>
    public string PromptText(string input) =>
        _chatTemplate?.Render([ChatTurn.User(input)], addGenerationPrompt: true) ?? input;

    /// <summary>Encodes <paramref name="example"/>; prompt positions get <see cref="TokenizedExample.IgnoreIndex"/>.</summary>
    public TokenizedExample Format(TaskExample example)
    {
        ArgumentNullException.ThrowIfNull(example);
        IReadOnlyList<int> prompt = _tokenizer.Encode(PromptText(example.Input), addSpecialTokens: _chatTemplate is null);
        List<int> completion = [.. _tokenizer.Encode(example.Output, addSpecialTokens: false)];
        if (_tokenizer.EosTokenIds.Count > 0)
        {
            completion.Add(_tokenizer.EosTokenIds[0]);
        }

        return new TokenizedExample(
            [.. prompt, .. completion],
            [.. Enumerable.Repeat(TokenizedExample.IgnoreIndex, prompt.Count), .. completion]);
    }
}
