using Text2Lora.Tests.Infrastructure;
using Text2Lora.Tests.Tokenization;
using Text2Lora.Tokenization;
using Text2Lora.Tokenization.ChatTemplates;
using Text2Lora.Tasks;
using Xunit;
using static Text2Lora.Tests.Tokenization.MiniByteLevelTokenizers;

namespace Text2Lora.Tests.Training;

/// <summary>Prompt formatting with the loss on completion tokens only.</summary>
[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class PromptFormatterTests
{
    private const int Ignore = TokenizedExample.IgnoreIndex;

    [Fact]
    public void Base_model_gets_bos_plus_input_then_output_and_eos_with_the_prompt_masked()
    {
        // stories260k ids from its fixture README / tokenization.json:
        // "Lily liked to play" → 1 317 397 355 267 337; "Hello world" → 346 306 414 263 304 341; EOS 2.
        var formatter = new PromptFormatter(TokenizerLoader.Load(FixturePaths.Get("stories260k", "model")), chatTemplate: null);
        TokenizedExample example = formatter.Format(new TaskExample("Lily liked to play", "Hello world"));

        Assert.Equal([1, 317, 397, 355, 267, 337, 346, 306, 414, 263, 304, 341, 2], example.InputIds);
        Assert.Equal([Ignore, Ignore, Ignore, Ignore, Ignore, Ignore, 346, 306, 414, 263, 304, 341, 2], example.Labels);
    }

    [Fact]
    public void Instruct_model_gets_the_chat_template_prompt_masked_and_ends_with_its_end_of_turn()
    {
        using var folder = new TempDirectory();
        WriteLlama3(folder.Path);
        ITextTokenizer tokenizer = TokenizerLoader.Load(folder.Path);
        var formatter = new PromptFormatter(tokenizer, ChatTemplate.Create(ChatTemplateFamily.Llama3, "<|begin_of_text|>", "<|eot_id|>"));

        TokenizedExample example = formatter.Format(new TaskExample("Hello", "world!"));

        // <|start_header_id|>user<|end_header_id|>\n\nHello<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n
        // encoded without BOS (apply_chat_template adds no special tokens); "assistant" has no merges.
        int[] prompt =
        [
            102, Id("u"), Id("s"), Id("e"), Id("r"), 103, Id("Ċ"), Id("Ċ"), Id("Hello"), 104,
            102, Id("a"), Id("s"), Id("s"), Id("i"), Id("s"), Id("t"), Id("a"), Id("n"), Id("t"), 103, Id("Ċ"), Id("Ċ"),
        ];

        // "world!" → "world" "!" → w (o r) (l d) !, then the tokenizer's EOS <|eot_id|> (104).
        int[] completion = [Id("w"), Id("or"), Id("ld"), Id("!"), 104];
        Assert.Equal([.. prompt, .. completion], example.InputIds);
        Assert.Equal([.. Enumerable.Repeat(Ignore, prompt.Length), .. completion], example.Labels);
    }
}
