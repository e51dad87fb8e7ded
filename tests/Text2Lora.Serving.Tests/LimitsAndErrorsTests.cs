using System.ClientModel;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Text2Lora.Serving.Tests;

/// <summary>Refusals: OpenAI's error JSON with the right status, type, param and code.</summary>
public sealed class LimitsAndErrorsTests(ServingHost host) : IClassFixture<ServingHost>
{
    private static async Task<JsonElement> Error(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.True(error.TryGetProperty("type", out _) && error.TryGetProperty("param", out _) && error.TryGetProperty("code", out _));
        return error;
    }

    private static object Chat(object? extra = null, string content = "donkey") => extra ?? new { messages = new[] { new { role = "user", content } } };

    [Fact]
    public async Task Unknown_model_is_404_model_not_found_also_through_the_OpenAI_client()
    {
        using var http = host.CreateClient();
        using var response = await http.PostAsJsonAsync("/v1/chat/completions", new { model = "t2l-0000", messages = new[] { new { role = "user", content = "x" } } });
        var error = await Error(response, HttpStatusCode.NotFound);
        Assert.Equal("model_not_found", error.GetProperty("code").GetString());
        Assert.Equal("model", error.GetProperty("param").GetString());

        var thrown = await Assert.ThrowsAsync<ClientResultException>(() => host.ChatClient("gpt-4o").GetResponseAsync([new ChatMessage(ChatRole.User, "x")]));
        Assert.Equal(404, thrown.Status);
    }

    [Theory]
    [InlineData("""{"messages":[]}""", "messages")]
    [InlineData("""{"messages":[{"role":"tool","content":"x"}]}""", "messages[0].role")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"max_tokens":0}""", "max_tokens")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"max_tokens":100000}""", "max_tokens")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"temperature":-1}""", "temperature")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"top_p":0}""", "top_p")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"n":3}""", "n")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"stop":[""]}""", "stop")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"t2l_description":"  "}""", "t2l_description")]
    public async Task Invalid_chat_requests_are_400_naming_the_field(string body, string param)
    {
        using var http = host.CreateClient();
        using var response = await http.PostAsync("/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));
        var error = await Error(response, HttpStatusCode.BadRequest);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task Malformed_json_is_400()
    {
        using var http = host.CreateClient();
        using var response = await http.PostAsync("/v1/chat/completions", new StringContent("{\"messages\": [", Encoding.UTF8, "application/json"));
        var error = await Error(response, HttpStatusCode.BadRequest);
        Assert.Contains("not valid JSON", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prompt_and_max_tokens_beyond_the_context_are_400_context_length_exceeded()
    {
        await host.Engine.Ready;
        var context = host.Engine.ContextLength; // 256 for the tiny base model
        using var http = host.CreateClient();

        // Each "word " is at least one token, so this prompt alone exceeds the context.
        using var tooLong = await http.PostAsJsonAsync("/v1/chat/completions", Chat(content: string.Concat(Enumerable.Repeat("word ", context))));
        Assert.Equal("context_length_exceeded", (await Error(tooLong, HttpStatusCode.BadRequest)).GetProperty("code").GetString());

        using var tooMany = await http.PostAsJsonAsync("/v1/chat/completions", new { messages = new[] { new { role = "user", content = "donkey" } }, max_tokens = context });
        var error = await Error(tooMany, HttpStatusCode.BadRequest);
        Assert.Equal("context_length_exceeded", error.GetProperty("code").GetString());
        Assert.Equal("max_tokens", error.GetProperty("param").GetString());
    }

    [Fact]
    public async Task Description_longer_than_the_limit_is_400()
    {
        using var http = host.CreateClient();
        using var response = await http.PostAsJsonAsync("/v1/adapters", new { description = new string('a', host.Engine.Options.MaxDescriptionLength + 1) });
        Assert.Equal("description", (await Error(response, HttpStatusCode.BadRequest)).GetProperty("param").GetString());
    }

    [Fact]
    public async Task Unknown_adapter_is_404_for_metadata_and_download()
    {
        using var http = host.CreateClient();
        using var metadata = await http.GetAsync("/v1/adapters/t2l-ffff");
        Assert.Equal("adapter_not_found", (await Error(metadata, HttpStatusCode.NotFound)).GetProperty("code").GetString());
        using var download = await http.GetAsync("/v1/adapters/..%2F..%2Fetc%2Fpasswd/download");
        await Error(download, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Request_body_over_the_limit_is_400()
    {
        using var small = new ServingHost(o => o.MaxRequestBodyBytes = 1024);
        using var http = small.CreateClient();
        using var response = await http.PostAsJsonAsync("/v1/adapters", new { description = new string('a', 1500) });
        var error = await Error(response, HttpStatusCode.BadRequest);
        Assert.Contains("1024 bytes", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_key_is_required_when_configured()
    {
        using var secured = new ServingHost(o => o.ApiKey = "sesame");
        using var http = secured.CreateClient();
        using var missing = await http.PostAsJsonAsync("/v1/chat/completions", Chat());
        Assert.Equal("invalid_api_key", (await Error(missing, HttpStatusCode.Unauthorized)).GetProperty("code").GetString());

        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/v1/models") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "open") } };
        await Error(await http.SendAsync(wrong), HttpStatusCode.Unauthorized);

        var thrown = await Assert.ThrowsAsync<ClientResultException>(() => secured.ChatClient("t2l-tiny-base", "open").GetResponseAsync([new ChatMessage(ChatRole.User, "x")]));
        Assert.Equal(401, thrown.Status);

        var answer = await secured.ChatClient("t2l-tiny-base", "sesame").GetResponseAsync([new ChatMessage(ChatRole.User, "donkey")], new ChatOptions { MaxOutputTokens = 4 });
        Assert.NotNull(answer.Text);

        // Health and the page stay open (readiness probes, the page asks for the key itself).
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task A_full_queue_answers_429()
    {
        using var small = new ServingHost(o => o.MaxQueueLength = 1);
        using var http = small.CreateClient();
        Task<HttpResponseMessage> queued;
        using (await small.PauseSchedulerAsync())
        {
            queued = http.PostAsJsonAsync("/v1/chat/completions", new { messages = new[] { new { role = "user", content = "donkey" } }, max_tokens = 2 });
            await WaitUntil(() => small.Engine.QueueLength == 1);
            using var refused = await http.PostAsJsonAsync("/v1/chat/completions", Chat());
            var error = await Error(refused, HttpStatusCode.TooManyRequests);
            Assert.Equal("queue_full", error.GetProperty("code").GetString());
        }

        using var served = await queued;
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    [Fact]
    public async Task A_client_that_disconnects_while_queued_is_never_decoded()
    {
        using var http = host.CreateClient();
        using var cancel = new CancellationTokenSource();
        var before = host.Engine.CancelledRequests;
        Task<HttpResponseMessage> request;
        using (await host.PauseSchedulerAsync())
        {
            request = http.PostAsJsonAsync("/v1/chat/completions", new { messages = new[] { new { role = "user", content = "donkey" } }, max_tokens = 8, stream = true }, cancel.Token);
            await WaitUntil(() => host.Engine.QueueLength == 1);
            await cancel.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
        }

        await WaitUntil(() => host.Engine.CancelledRequests == before + 1);
        Assert.Equal(0, host.Engine.QueueLength);
    }

    internal static async Task WaitUntil(Func<bool> condition)
    {
        // Bounded: the condition is about the in-process scheduler and holds within milliseconds when it holds at all.
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(20);
        }

        Assert.True(condition(), "condition not reached within 10 s");
    }
}
