using System.Net.Http.Json;
using System.Text.Json;

namespace Text2Lora.Serving.Tests;

/// <summary>
/// Rows of one batch live and end independently: a client that goes away while its answer streams has its row ended
/// at the next step while the other rows go on and give exactly the tokens they give alone; a row that ends early is
/// answered at that step, not when the batch's longest row ends.
/// </summary>
public sealed class StreamCancellationTests(ServingHost host) : IClassFixture<ServingHost>
{
    // All rows ignore EOS so that they share one batch key and their lengths are known: the leaver asks for far more
    // tokens than the others, so it is still decoding when it disconnects.
    private const int LeaverMaxTokens = 200;

    private static readonly (string Description, string Input, int MaxTokens)[] Stayers =
    [
        ("Give the first letter of the word.", "donkey", 12),
        ("Answer with the word spelled backwards.", "kitten", 16),
        ("Say the word in upper case.", "forest", 9),
    ];

    private static Dictionary<string, object?> Body(string description, string input, int maxTokens, bool stream) => new()
    {
        ["messages"] = new[] { new { role = "user", content = input } },
        ["max_tokens"] = maxTokens,
        ["ignore_eos"] = true,
        ["stream"] = stream,
        ["t2l_description"] = description,
    };

    private static async Task<(string Text, int Tokens)> Ask(HttpClient http, (string Description, string Input, int MaxTokens) request)
    {
        using var response = await http.PostAsJsonAsync("/v1/chat/completions", Body(request.Description, request.Input, request.MaxTokens, stream: false));
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    /// <summary>
    /// With the scheduler paused, queues a streamed request of <see cref="LeaverMaxTokens"/> tokens (cancelled by
    /// <paramref name="leave"/>) and then <paramref name="others"/>, so that all of them decode in one batch.
    /// </summary>
    private async Task<(Task<HttpResponseMessage> Long, Task<(string Text, int Tokens)>[] Others)> QueueOneBatch(
        HttpClient http, IReadOnlyList<(string Description, string Input, int MaxTokens)> others, CancellationToken leave)
    {
        using (await host.PauseSchedulerAsync())
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
            {
                Content = JsonContent.Create(Body("Repeat the word twice.", "umbrella", LeaverMaxTokens, stream: true)),
            };
            var longRequest = http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, leave);
            await LimitsAndErrorsTests.WaitUntil(() => host.Engine.QueueLength == 1);
            Task<(string Text, int Tokens)>[] answers = [.. others.Select(o => Ask(http, o))];
            await LimitsAndErrorsTests.WaitUntil(() => host.Engine.QueueLength == 1 + others.Count);
            return (longRequest, answers);
        }
    }

    /// <summary>Whether an SSE line is a chunk with a non-empty content delta.</summary>
    private static bool HasContent(string line)
    {
        if (!line.StartsWith("data: {", StringComparison.Ordinal))
        {
            return false;
        }

        using var chunk = JsonDocument.Parse(line["data: ".Length..]);
        return chunk.RootElement.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var content)
            && content.ValueKind == JsonValueKind.String && content.GetString()!.Length > 0;
    }

    [Fact]
    public async Task A_client_that_disconnects_mid_stream_is_dropped_and_the_others_give_their_solo_tokens()
    {
        using var http = host.CreateClient();
        var alone = new List<(string, int)>();
        foreach (var request in Stayers)
        {
            alone.Add(await Ask(http, request));
        }

        // ignore_eos: each solo answer is exactly its max_tokens long.
        Assert.Equal(Stayers.Select(s => s.MaxTokens), alone.Select(a => a.Item2));

        var cancelledBefore = host.Engine.CancelledRequests;
        var tokensBefore = host.Engine.GeneratedTokens;
        using var leave = new CancellationTokenSource();
        var (leaver, stayers) = await QueueOneBatch(http, Stayers, leave.Token);

        // Read the stream until the first content delta: the leaver's row is being decoded; then disconnect.
        using (var response = await leaver)
        {
            response.EnsureSuccessStatusCode();
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(leave.Token));
            while (!HasContent(await reader.ReadLineAsync(leave.Token) ?? throw new InvalidOperationException("The stream ended before its first token.")))
            {
            }

            await leave.CancelAsync();
        }

        var batched = await Task.WhenAll(stayers);
        Assert.Equal(alone, batched);
        await LimitsAndErrorsTests.WaitUntil(() => host.Engine.CancelledRequests == cancelledBefore + 1);
        Assert.True(host.Engine.LargestBatch >= 1 + Stayers.Length, $"largest batch {host.Engine.LargestBatch}");

        // Had the scheduler decoded the leaver to its limit, the batch would have produced the stayers' tokens plus
        // LeaverMaxTokens. The leaver disconnected after its first token, so its row ended long before.
        var decoded = host.Engine.GeneratedTokens - tokensBefore;
        var stayerTokens = Stayers.Sum(s => s.MaxTokens);
        Assert.True(decoded < stayerTokens + LeaverMaxTokens, $"decoded {decoded} tokens; the stayers account for {stayerTokens}, the leaver's limit is {LeaverMaxTokens}");
    }

    [Fact]
    public async Task A_short_answer_is_sent_at_the_step_it_ends_not_when_its_batch_ends()
    {
        using var http = host.CreateClient();
        var shortRequest = Stayers[0];
        var alone = await Ask(http, shortRequest);
        var tokensBefore = host.Engine.GeneratedTokens;
        var cancelledBefore = host.Engine.CancelledRequests;
        using var leave = new CancellationTokenSource();
        var (longRequest, answers) = await QueueOneBatch(http, [shortRequest], leave.Token);
        var answer = answers[0];

        // The long row is only cancelled once the short answer has arrived. Were rows answered when their batch ends,
        // the short answer would wait for the long row's LeaverMaxTokens tokens and the batch would decode them all.
        Assert.Equal(alone, await answer);
        using (await longRequest)
        {
            await leave.CancelAsync();
        }

        await host.Engine.RunAsync(() => 0, CancellationToken.None); // queued behind the batch: returns once it ended
        var decoded = host.Engine.GeneratedTokens - tokensBefore;
        Assert.True(decoded < shortRequest.MaxTokens + LeaverMaxTokens, $"decoded {decoded} tokens: the long row ran to its limit of {LeaverMaxTokens} before the short answer ({shortRequest.MaxTokens} tokens) was sent");
        Assert.Equal(cancelledBefore + 1, host.Engine.CancelledRequests);
    }
}
