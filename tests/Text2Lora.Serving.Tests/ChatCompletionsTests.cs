using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Text2Lora.Chat;

namespace Text2Lora.Serving.Tests;

/// <summary>The chat API through the official OpenAI client, checked against the library's own chat client.</summary>
public sealed class ChatCompletionsTests(ServingHost host) : IClassFixture<ServingHost>
{
    private static readonly ChatMessage[] Donkey = [new(ChatRole.User, "donkey")];

    [Fact]
    public async Task NonStreaming_base_model_answers_as_the_library_chat_client_does()
    {
        using var reference = BaseModelChatClient.Load(ServingHost.ModelDirectory);
        var options = new ChatOptions { MaxOutputTokens = 16 };
        var expected = await reference.GetResponseAsync(Donkey, options);

        var response = await host.ChatClient("t2l-tiny-base").GetResponseAsync(Donkey, options);

        Assert.Equal(expected.Text, response.Text);
        Assert.Equal(expected.Usage!.OutputTokenCount, response.Usage!.OutputTokenCount);
        Assert.Equal(expected.Usage.InputTokenCount, response.Usage.InputTokenCount);
        Assert.Equal(expected.FinishReason, response.FinishReason);
    }

    [Fact]
    public async Task Streaming_concatenates_to_the_non_streaming_answer()
    {
        var client = host.ChatClient("t2l-tiny-base");
        var messages = new[] { new ChatMessage(ChatRole.User, "The quick brown fox") };
        var options = new ChatOptions { MaxOutputTokens = 24 };
        var whole = await client.GetResponseAsync(messages, options);

        var pieces = new List<string>();
        ChatFinishReason? finish = null;
        await foreach (var update in client.GetStreamingResponseAsync(messages, options))
        {
            if (update.Text.Length > 0)
            {
                pieces.Add(update.Text);
            }

            finish ??= update.FinishReason;
        }

        Assert.Equal(whole.Text, string.Concat(pieces));
        Assert.Equal(whole.FinishReason, finish);
        // More than one token was decoded, so streaming delivered it in more than one piece.
        Assert.True(whole.Usage!.OutputTokenCount > 1);
        Assert.True(pieces.Count > 1, $"expected several streamed pieces, got {pieces.Count}");
    }

    [Fact]
    public async Task Streaming_wire_format_is_openai_chunks_ending_with_done()
    {
        using var http = host.CreateClient();
        using var response = await http.PostAsJsonAsync("/v1/chat/completions", new { messages = new[] { new { role = "user", content = "kitten" } }, max_tokens = 8, stream = true });
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.All(events, e => Assert.StartsWith("data: ", e, StringComparison.Ordinal));
        Assert.Equal("data: [DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Single(chunks.Select(c => c.GetProperty("id").GetString()).Distinct());
        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        Assert.Contains(chunks[^1].GetProperty("choices")[0].GetProperty("finish_reason").GetString(), new[] { "stop", "length" });
    }

    [Fact]
    public async Task Stop_strings_end_the_answer_before_the_stop_text()
    {
        var client = host.ChatClient("t2l-tiny-base");
        var messages = new[] { new ChatMessage(ChatRole.User, "The quick brown fox") };
        var free = await client.GetResponseAsync(messages, new ChatOptions { MaxOutputTokens = 24 });
        Assert.True(free.Text.Length >= 4, $"the model's answer '{free.Text}' is too short to cut");
        var stop = free.Text.Substring(2, 2);

        var stopped = await client.GetResponseAsync(messages, new ChatOptions { MaxOutputTokens = 24, StopSequences = [stop] });

        Assert.Equal(free.Text[..free.Text.IndexOf(stop, StringComparison.Ordinal)], stopped.Text);
        Assert.Equal(ChatFinishReason.Stop, stopped.FinishReason);
    }

    [Fact]
    public async Task Models_lists_the_base_model()
    {
        using var http = host.CreateClient();
        var models = await http.GetFromJsonAsync<JsonElement>("/v1/models");
        Assert.Equal("list", models.GetProperty("object").GetString());
        Assert.Contains(models.GetProperty("data").EnumerateArray(), m => m.GetProperty("id").GetString() == "t2l-tiny-base");
    }

    [Fact]
    public async Task Health_is_ok_once_loaded()
    {
        await host.Engine.Ready;
        using var http = host.CreateClient();
        using var response = await http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }
}
