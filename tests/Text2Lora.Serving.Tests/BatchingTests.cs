using System.Net.Http.Json;
using System.Text.Json;

namespace Text2Lora.Serving.Tests;

/// <summary>Concurrent requests with different adapters share decode steps and decode exactly what each decodes alone.</summary>
public sealed class BatchingTests(ServingHost host) : IClassFixture<ServingHost>
{
    private static readonly (string? Description, string Input)[] Requests =
    [
        ("Give the first letter of the word.", "donkey"),
        ("Answer with the word spelled backwards.", "kitten"),
        ("Say the word in upper case.", "forest"),
        ("Count the letters of the word.", "umbrella"),
        ("Give the last letter of the word.", "juice"),
        (null, "quiet"),
        ("Repeat the word twice.", "The quick brown fox"),
    ];

    private static async Task<(string Text, int Tokens, string Finish)> Ask(HttpClient http, (string? Description, string Input) request)
    {
        using var response = await http.PostAsJsonAsync("/v1/chat/completions", new Dictionary<string, object?>
        {
            ["messages"] = new[] { new { role = "user", content = request.Input } },
            ["max_tokens"] = 20,
            ["t2l_description"] = request.Description,
        });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var choice = body.GetProperty("choices")[0];
        return (choice.GetProperty("message").GetProperty("content").GetString()!, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32(), choice.GetProperty("finish_reason").GetString()!);
    }

    [Fact]
    public async Task Concurrent_requests_with_different_adapters_decode_in_one_batch_exactly_as_alone()
    {
        using var http = host.CreateClient();
        var alone = new List<(string, int, string)>();
        foreach (var request in Requests)
        {
            alone.Add(await Ask(http, request)); // one at a time: each is a batch of one
        }

        Task<(string, int, string)>[] together;
        using (await host.PauseSchedulerAsync())
        {
            together = [.. Requests.Select(r => Ask(http, r))];
            await LimitsAndErrorsTests.WaitUntil(() => host.Engine.QueueLength == Requests.Length);
        }

        var batched = await Task.WhenAll(together);

        // All were queued before the scheduler resumed, so they were decoded as one batch of per-sequence adapters.
        Assert.True(host.Engine.LargestBatch >= Requests.Length, $"largest batch {host.Engine.LargestBatch}");
        Assert.Equal(alone, batched);
    }
}
