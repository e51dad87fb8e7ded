using System.Text.Json.Nodes;
using Text2Lora.Tests.Infrastructure;
using Text2Lora.Tokenization;
using Text2Lora.Tokenization.ChatTemplates;
using Xunit;

namespace Text2Lora.Tests.Tokenization;

/// <summary>
/// Expected prompts are written out by hand from the Jinja templates in Fixtures/chat-templates
/// (HF renders with trim_blocks and lstrip_blocks, tools=None).
/// </summary>
[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class ChatTemplateTests
{
    private static readonly ChatTurn[] SystemUserAssistantUser =
    [
        ChatTurn.System(" Be brief. "),
        ChatTurn.User("What is 2+2? "),
        ChatTurn.Assistant(" 4 "),
        ChatTurn.User("And 3+3?"),
    ];

    private static string Template(string model) => File.ReadAllText(FixturePaths.Get("chat-templates", model, "chat_template.jinja"));

    [Theory]
    [InlineData("mistralai_Mistral-7B-Instruct-v0.2", ChatTemplateFamily.Mistral)]
    [InlineData("meta-llama_Llama-3.1-8B-Instruct", ChatTemplateFamily.Llama3)]
    [InlineData("google_gemma-2-2b-it", ChatTemplateFamily.Gemma)]
    public void Recognizes_the_t2l_templates(string model, ChatTemplateFamily family) =>
        Assert.Equal(family, ChatTemplate.Recognize(Template(model)));

    [Fact]
    public void Unknown_template_text_is_not_recognized() =>
        Assert.Null(ChatTemplate.Recognize("{% for m in messages %}{{ m.content }}{% endfor %}"));

    [Fact]
    public void Mistral_user_only_has_no_bos_and_keeps_content_untrimmed()
    {
        ChatTemplate template = ChatTemplate.Create(ChatTemplateFamily.Mistral, "<s>", "</s>");
        Assert.Equal(" [INST]  Hi there  [/INST]", template.Render([ChatTurn.User(" Hi there ")], addGenerationPrompt: true));
    }

    [Fact]
    public void Mistral_merges_the_system_message_into_the_first_user_turn()
    {
        ChatTemplate template = ChatTemplate.Create(ChatTemplateFamily.Mistral, "<s>", "</s>");
        Assert.Equal(
            "<s> [INST]  Be brief. \n\nWhat is 2+2?  [/INST]  4 </s> [INST] And 3+3? [/INST]",
            template.Render(SystemUserAssistantUser));
    }

    [Fact]
    public void Mistral_rejects_a_system_message_that_is_not_first()
    {
        ChatTemplate template = ChatTemplate.Create(ChatTemplateFamily.Mistral, "<s>", "</s>");
        var ex = Assert.Throws<ArgumentException>(() => template.Render([ChatTurn.User("a"), ChatTurn.System("b")]));
        Assert.Contains("Only user and assistant roles are supported", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Llama3_t2l_template_writes_no_default_system_header()
    {
        ChatTemplate template = ChatTemplate.Create(ChatTemplateFamily.Llama3, "<|begin_of_text|>", "<|eot_id|>");
        Assert.Equal(
            "<|start_header_id|>user<|end_header_id|>\n\nHi there<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
            template.Render([ChatTurn.User(" Hi there ")], addGenerationPrompt: true));
        Assert.Equal(
            "<|start_header_id|>user<|end_header_id|>\n\nHi there<|eot_id|>",
            template.Render([ChatTurn.User(" Hi there ")], addGenerationPrompt: false));
    }

    [Fact]
    public void Llama3_system_message_gets_bos_and_a_trimmed_system_header()
    {
        ChatTemplate template = ChatTemplate.Create(ChatTemplateFamily.Llama3, "<|begin_of_text|>", "<|eot_id|>");
        Assert.Equal(
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>"
            + "<|start_header_id|>user<|end_header_id|>\n\nWhat is 2+2?<|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\n4<|eot_id|>"
            + "<|start_header_id|>user<|end_header_id|>\n\nAnd 3+3?<|eot_id|>"
            + "<|start_header_id|>assistant<|end_header_id|>\n\n",
            template.Render(SystemUserAssistantUser));
    }

    [Fact]
    public void Gemma_keeps_the_templates_literal_whitespace()
    {
        ChatTemplate template = ChatTemplate.Create(ChatTemplateFamily.Gemma, "<bos>", "<eos>");
        Assert.Equal(
            "\n\n    \n        <start_of_turn>user\nHi there<end_of_turn>\n    <start_of_turn>model\n\n",
            template.Render([ChatTurn.User(" Hi there ")], addGenerationPrompt: true));
        Assert.Equal(
            "\n\n    \n        <start_of_turn>user\nHi there<end_of_turn>\n",
            template.Render([ChatTurn.User(" Hi there ")], addGenerationPrompt: false));
    }

    [Fact]
    public void Gemma_renders_a_system_message_as_its_own_turn_after_bos()
    {
        ChatTemplate template = ChatTemplate.Create(ChatTemplateFamily.Gemma, "<bos>", "<eos>");
        Assert.Equal(
            "<bos>\n\n"
            + "    \n        <start_of_turn>system\nBe brief.<end_of_turn>\n"
            + "    \n        <start_of_turn>user\nWhat is 2+2?<end_of_turn>\n"
            + "    \n        <start_of_turn>model\n4<end_of_turn>\n"
            + "    \n        <start_of_turn>user\nAnd 3+3?<end_of_turn>\n",
            template.Render(SystemUserAssistantUser, addGenerationPrompt: false));
    }

    [Fact]
    public void ChatMl_adds_the_qwen2_default_system_turn_and_keeps_content()
    {
        ChatTemplate template = ChatTemplate.Create(ChatTemplateFamily.ChatMl, null, "<|im_end|>");
        Assert.Equal(
            "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n Hi <|im_end|>\n<|im_start|>assistant\n",
            template.Render([ChatTurn.User(" Hi ")]));
        Assert.Equal(
            "<|im_start|>system\n Be brief. <|im_end|>\n<|im_start|>user\nWhat is 2+2? <|im_end|>\n<|im_start|>assistant\n 4 <|im_end|>\n"
            + "<|im_start|>user\nAnd 3+3?<|im_end|>\n",
            template.Render(SystemUserAssistantUser, addGenerationPrompt: false));
    }

    [Fact]
    public void Model_folder_template_is_selected_by_its_text_with_the_configs_bos_and_eos()
    {
        using var folder = new TempDirectory();
        var config = new JsonObject
        {
            ["bos_token"] = "<s>",
            ["eos_token"] = "</s>",
            ["chat_template"] = Template("mistralai_Mistral-7B-Instruct-v0.2"),
        };
        File.WriteAllText(folder.File("tokenizer_config.json"), config.ToJsonString());

        ChatTemplate template = ChatTemplate.FromModelDirectory(folder.Path)!;
        Assert.Equal(ChatTemplateFamily.Mistral, template.Family);
        Assert.Equal("<s> [INST] S\n\nU [/INST] A</s>", template.Render([ChatTurn.System("S"), ChatTurn.User("U"), ChatTurn.Assistant("A")]));
    }

    [Fact]
    public void Meta_llama31_template_text_selects_the_cutting_knowledge_system_header()
    {
        using var folder = new TempDirectory();
        var config = new JsonObject
        {
            ["bos_token"] = "<|begin_of_text|>",
            ["chat_template"] = "{{- bos_token }}{{- \"<|start_header_id|>system<|end_header_id|>\\n\\n\" }}{{- \"Cutting Knowledge Date: December 2023\\n\" }}",
        };
        File.WriteAllText(folder.File("tokenizer_config.json"), config.ToJsonString());

        ChatTemplate template = ChatTemplate.FromModelDirectory(folder.Path)!;
        Assert.Equal(
            "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n<|eot_id|>"
            + "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
            template.Render([ChatTurn.User("Hi")]));
    }

    [Fact]
    public void Model_type_decides_when_the_template_text_is_not_recognized()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(folder.File("tokenizer_config.json"), new JsonObject { ["chat_template"] = "{{ messages }}" }.ToJsonString());
        File.WriteAllText(folder.File("config.json"), new JsonObject { ["model_type"] = "qwen2" }.ToJsonString());
        Assert.Equal(ChatTemplateFamily.ChatMl, ChatTemplate.FromModelDirectory(folder.Path)!.Family);

        File.WriteAllText(folder.File("config.json"), new JsonObject { ["model_type"] = "llama" }.ToJsonString());
        var ex = Assert.Throws<TokenizerFormatException>(() => ChatTemplate.FromModelDirectory(folder.Path));
        Assert.Equal(folder.File("tokenizer_config.json"), ex.FilePath);
    }

    [Fact]
    public void Base_model_without_a_template_has_none() =>
        Assert.Null(ChatTemplate.FromModelDirectory(FixturePaths.Get("stories260k", "model")));
}
