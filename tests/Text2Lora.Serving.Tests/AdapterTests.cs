using System.IO.Compression;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Text2Lora.Chat;
using Text2Lora.Encoders;
using Text2Lora.LoraGeneration;
using Text2Lora.TextGeneration;
using Text2Lora.Hypernetworks.Checkpoints;
using Text2Lora.IO.Peft;
using Text2Lora.Lora;
using static TorchSharp.torch;

namespace Text2Lora.Serving.Tests;

/// <summary>Adapters created, used by id and by description, and downloaded; checked against the library generating the same adapter.</summary>
public sealed class AdapterTests(ServingHost host) : IClassFixture<ServingHost>
{
    private const string Description = "Give the first letter of the word.";

    private static LoraAdapter GenerateWithLibrary(string description)
    {
        using var hypernetwork = new HypernetworkLoader().Load(ServingHost.HypernetworkDirectory, ServingHost.ModelDirectory, CPU);
        using var encoder = new MiniLmTaskEncoder();
        using var generator = Text2LoraBuilder.Create().WithHypernetwork(hypernetwork).WithTaskEncoder(encoder).WithEmbeddingCache(0).Build();
        return generator.FromDescription(description);
    }

    private async Task<JsonElement> CreateAdapter(HttpClient http, string description)
    {
        using var response = await http.PostAsJsonAsync("/v1/adapters", new { description });
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task Adapter_ids_are_content_addressed_and_cached()
    {
        using var http = host.CreateClient();
        var first = await CreateAdapter(http, Description);
        var again = await CreateAdapter(http, Description);
        var other = await CreateAdapter(http, Description + " ");

        var id = first.GetProperty("id").GetString()!;
        Assert.StartsWith("t2l-", id, StringComparison.Ordinal);
        Assert.Equal(id, again.GetProperty("id").GetString());
        Assert.Equal(first.GetProperty("created").GetInt64(), again.GetProperty("created").GetInt64()); // the cached entry, not a new one
        Assert.NotEqual(id, other.GetProperty("id").GetString()); // the exact text is the key
        Assert.Equal(Description, first.GetProperty("description").GetString());

        var metadata = await http.GetFromJsonAsync<JsonElement>($"/v1/adapters/{id}");
        Assert.Equal(id, metadata.GetProperty("id").GetString());
        var models = await http.GetFromJsonAsync<JsonElement>("/v1/models");
        Assert.Contains(models.GetProperty("data").EnumerateArray(), m => m.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task Chat_with_adapter_id_and_with_description_answers_as_the_library_with_that_adapter()
    {
        using var reference = BaseModelChatClient.Load(ServingHost.ModelDirectory);
        using var adapter = GenerateWithLibrary(Description);
        reference.Adapter = adapter;
        var options = new ChatOptions { MaxOutputTokens = 12 };
        var words = new[] { "donkey", "umbrella", "kitten" };

        using var http = host.CreateClient();
        var id = (await CreateAdapter(http, Description)).GetProperty("id").GetString()!;
        var client = host.ChatClient(id);
        foreach (var word in words)
        {
            var expected = await reference.GetResponseAsync([new ChatMessage(ChatRole.User, word)], options);
            var byId = await client.GetResponseAsync([new ChatMessage(ChatRole.User, word)], options);
            Assert.Equal(expected.Text, byId.Text);

            // The extension field: the description itself, generated on the fly or taken from the cache.
            using var response = await http.PostAsJsonAsync("/v1/chat/completions", new
            {
                messages = new[] { new { role = "user", content = word } }, max_tokens = 12, t2l_description = Description,
            });
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(expected.Text, body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
            Assert.Equal(id, body.GetProperty("model").GetString());
        }
    }

    [Fact]
    public async Task A_description_never_seen_is_generated_on_the_fly_by_a_chat_request()
    {
        const string description = "Answer with the word spelled backwards.";
        using var reference = BaseModelChatClient.Load(ServingHost.ModelDirectory);
        using var adapter = GenerateWithLibrary(description);
        reference.Adapter = adapter;
        var expected = await reference.GetResponseAsync([new ChatMessage(ChatRole.User, "forest")], new ChatOptions { MaxOutputTokens = 12 });

        using var http = host.CreateClient();
        using var response = await http.PostAsJsonAsync("/v1/chat/completions", new
        {
            messages = new[] { new { role = "user", content = "forest" } }, max_tokens = 12, t2l_description = description,
        });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(expected.Text, body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        var id = body.GetProperty("model").GetString()!;
        Assert.Equal(description, (await http.GetFromJsonAsync<JsonElement>($"/v1/adapters/{id}")).GetProperty("description").GetString());
    }

    [Fact]
    public async Task Download_is_the_PEFT_folder_of_the_generated_adapter()
    {
        using var http = host.CreateClient();
        var id = (await CreateAdapter(http, Description)).GetProperty("id").GetString()!;
        using var response = await http.GetAsync($"/v1/adapters/{id}/download");
        response.EnsureSuccessStatusCode();
        Assert.Equal("application/zip", response.Content.Headers.ContentType!.MediaType);

        var folder = Directory.CreateTempSubdirectory("t2l-serve-test-").FullName;
        try
        {
            await using (var zip = await response.Content.ReadAsStreamAsync())
            {
                ZipFile.ExtractToDirectory(zip, folder);
            }

            using var downloaded = PeftAdapterFolder.Load(folder);
            using var expected = GenerateWithLibrary(Description);
            Assert.Equal(Description, downloaded.TaskDescription);
            Assert.Equal(expected.Modules.Keys.Order(), downloaded.Modules.Keys.Order());
            foreach (var (path, weights) in expected.Modules)
            {
                // Same hypernetwork, same description, same float32 CPU arithmetic: the saved factors are bit-identical.
                Assert.True(weights.A.allclose(downloaded.Modules[path].A, rtol: 0, atol: 0), path);
                Assert.True(weights.B.allclose(downloaded.Modules[path].B, rtol: 0, atol: 0), path);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
