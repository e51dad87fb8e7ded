using Text2Lora.TextGeneration;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using Text2Lora.Chat;
using Text2Lora.Lora;
using Text2Lora.Models.Llama;
using Text2Lora.Tests.Infrastructure;
using Text2Lora.Tokenization;
using Text2Lora.Tokenization.ChatTemplates;
using static TorchSharp.torch;

namespace Text2Lora.Tests.Chat;

/// <summary>The M.E.AI chat client on stories260k: without a chat template (plain-text prompt) and with one added.</summary>
[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class BaseModelChatClientTests : IDisposable
{
    // The T2L reference's Mistral-7B-Instruct-v0.2 template (Fixtures/chat-templates): BOS only with a system message,
    // which is merged into the first user turn: "<s> [INST] {system}\n\n{user} [/INST]".
    private static readonly string MistralTemplate = File.ReadAllText(FixturePaths.Get("chat-templates", "mistralai_Mistral-7B-Instruct-v0.2", "chat_template.jinja"));

    private readonly TempDirectory _dir = new();
    private readonly LlamaFamilyModel _model = LlamaFamilyModel.Load(Stories260k.ModelDirectory);
    private readonly ITextTokenizer _tokenizer = TokenizerLoader.Load(Stories260k.ModelDirectory);

    public void Dispose()
    {
        _model.Dispose();
        _dir.Dispose();
    }

    private BaseModelChatClient PlainClient() => new(_model, _tokenizer, ChatTemplate.FromModelDirectory(Stories260k.ModelDirectory));

    private static ChatOptions Greedy32 => new() { MaxOutputTokens = Stories260k.GeneratedTokens };

    [Fact]
    public async Task Without_a_chat_template_the_user_text_is_the_prompt()
    {
        using var client = PlainClient();
        Assert.False(client.HasChatTemplate);

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, Stories260k.LilyPrompt)], Greedy32);

        Assert.Equal(Stories260k.LilyContinuation, response.Text);
        Assert.Equal(ChatRole.Assistant, Assert.Single(response.Messages).Role);
        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.Equal(6, response.Usage!.InputTokenCount); // BOS + 5 ids (fixture row 1)
        Assert.Equal(32, response.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task Stop_sequences_end_the_response()
    {
        using var client = PlainClient();
        var options = Greedy32;
        options.StopSequences = ["."];

        var response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, Stories260k.LilyPrompt)], options);

        Assert.Equal("with her toys", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
    }

    [Fact]
    public async Task Streaming_yields_token_deltas_that_concatenate_to_the_response()
    {
        using var client = PlainClient();
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, Stories260k.DogPrompt)], Greedy32))
        {
            updates.Add(update);
        }

        var textUpdates = updates.Where(u => u.Text.Length > 0).ToList();
        Assert.True(textUpdates.Count >= 20, $"{textUpdates.Count} text updates for 32 tokens");
        Assert.Equal(Stories260k.DogContinuation, string.Concat(textUpdates.Select(u => u.Text)));
        Assert.Equal(ChatFinishReason.Length, updates[^1].FinishReason);
        Assert.Equal(32, Assert.Single(updates[^1].Contents.OfType<UsageContent>()).Details.OutputTokenCount);
        Assert.Single(updates.Select(u => u.ResponseId).Distinct());
        Assert.Equal(Stories260k.DogContinuation, updates.ToChatResponse().Text);
    }

    [Fact]
    public async Task Streaming_honours_stop_sequences()
    {
        using var client = PlainClient();
        var options = Greedy32;
        options.StopSequences = ["big box."];
        var text = string.Empty;
        await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, Stories260k.LilyPrompt)], options))
        {
            text += update.Text;
        }

        Assert.Equal("with her toys. She had a big box of toys and a ", text);
    }

    [Fact]
    public async Task With_a_chat_template_the_conversation_is_rendered_through_it()
    {
        var folder = CopyStoriesWithTemplate(MistralTemplate);
        using var client = new BaseModelChatClient(_model, _tokenizer, ChatTemplate.FromModelDirectory(folder));
        Assert.True(client.HasChatTemplate);

        var response = await client.GetResponseAsync(
            [new ChatMessage(ChatRole.System, "You tell stories."), new ChatMessage(ChatRole.User, Stories260k.LilyPrompt)], Greedy32);

        // Expected: the model's greedy continuation of the prompt string written out by hand from the template.
        var ids = _tokenizer.Encode("<s> [INST] You tell stories.\n\nLily liked to play [/INST]", addSpecialTokens: false);
        Assert.Equal(1, ids[0]); // "<s>" is the BOS token, not text
        using var expected = _model.Generate([ids], new GenerationOptions { MaxNewTokens = 32 });
        Assert.Equal(_tokenizer.Decode(expected.Sequences[0].TokenIds), response.Text);
        Assert.Equal(ids.Count, response.Usage!.InputTokenCount);
        Assert.NotEqual(Stories260k.LilyContinuation, response.Text);
    }

    [Fact]
    public async Task Chat_client_loads_a_model_folder_with_its_template()
    {
        var folder = CopyStoriesWithTemplate(MistralTemplate);
        using var loaded = BaseModelChatClient.Load(folder);
        using var reference = new BaseModelChatClient(_model, _tokenizer, ChatTemplate.FromModelDirectory(folder));

        var messages = new[] { new ChatMessage(ChatRole.User, Stories260k.DogPrompt) };
        var fromFolder = await loaded.GetResponseAsync(messages, Greedy32);
        var fromParts = await reference.GetResponseAsync(messages, Greedy32);

        Assert.True(loaded.HasChatTemplate);
        Assert.Equal(fromParts.Text, fromFolder.Text);
        Assert.Equal("model", loaded.GetService<ChatClientMetadata>()!.DefaultModelId);
    }

    [Fact]
    public async Task Sampling_is_reproducible_with_a_seed()
    {
        using var client = PlainClient();
        var options = new ChatOptions { MaxOutputTokens = 24, Temperature = 1.0f, TopK = 50, TopP = 0.95f, Seed = 7 };
        var messages = new[] { new ChatMessage(ChatRole.User, Stories260k.LilyPrompt) };

        var first = await client.GetResponseAsync(messages, options);
        var second = await client.GetResponseAsync(messages, options);

        Assert.Equal(first.Text, second.Text);
        Assert.Equal(24, first.Usage!.OutputTokenCount);
    }

    [Fact]
    public async Task Adapter_can_be_swapped_between_calls()
    {
        using var client = PlainClient();
        var messages = new[] { new ChatMessage(ChatRole.User, Stories260k.DogPrompt) };
        using var adapter = TestAdapters.RandomQv(_model.LoraTargets);

        client.Adapter = adapter;
        var adapted = await client.GetResponseAsync(messages, Greedy32);
        client.Adapter = null;
        var plain = await client.GetResponseAsync(messages, Greedy32);

        // With the adapter: the model's own greedy generation under that adapter; without: the fixture text again.
        using var active = _model.PrepareAdapter(adapter);
        using var expected = _model.Generate([_tokenizer.Encode(Stories260k.DogPrompt)], new GenerationOptions { MaxNewTokens = 32 }, active);
        Assert.Equal(_tokenizer.Decode(expected.Sequences[0].TokenIds), adapted.Text);
        Assert.NotEqual(Stories260k.DogContinuation, adapted.Text);
        Assert.Equal(Stories260k.DogContinuation, plain.Text);
    }

    [Fact]
    public async Task Cancellation_is_honoured()
    {
        using var client = PlainClient();
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, "Lily")], Greedy32, cancel.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "Lily")], Greedy32, cancel.Token))
            {
                Assert.Fail("no update expected after cancellation");
            }
        });
    }

    [Fact]
    public async Task Tool_messages_are_rejected()
    {
        using var client = PlainClient();
        var error = await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.Tool, "42")]));
        Assert.Contains("tool", error.Message, StringComparison.Ordinal);
    }

    /// <summary>stories260k's model folder plus a chat template in tokenizer_config.json.</summary>
    private string CopyStoriesWithTemplate(string template)
    {
        var folder = Path.Combine(_dir.Path, "model");
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(Stories260k.ModelDirectory))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        var configPath = Path.Combine(folder, "tokenizer_config.json");
        var config = JsonNode.Parse(File.ReadAllText(configPath))!.AsObject();
        config["chat_template"] = template;
        File.WriteAllText(configPath, config.ToJsonString());
        return folder;
    }
}
