using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Text2Lora.Serving.Tests;

/// <summary>The README's C# <c>IChatClient</c> snippet, run against the test server.</summary>
public sealed class ReadmeSnippetTests(ServingHost host) : IClassFixture<ServingHost>
{
    [Fact]
    public async Task The_readme_snippet_answers()
    {
        // The snippet's lines as the README shows them (checked below), with the test server as the transport.
        var readme = await File.ReadAllTextAsync(Path.Combine(ServingHost.RepositoryRoot, "README.md"));
        Assert.Contains("IChatClient client = new OpenAIClient(new ApiKeyCredential(\"unused\"), new OpenAIClientOptions { Endpoint = new Uri(\"http://127.0.0.1:8080/v1\") })", readme, StringComparison.Ordinal);
        Assert.Contains(".GetChatClient(\"t2l-tiny-base\").AsIChatClient();", readme, StringComparison.Ordinal);
        Assert.Contains("var response = await client.GetResponseAsync(\"donkey\", new ChatOptions { MaxOutputTokens = 8 });", readme, StringComparison.Ordinal);

        IChatClient client = new OpenAIClient(new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri("http://127.0.0.1:8080/v1"), Transport = new HttpClientPipelineTransport(host.CreateClient()) })
            .GetChatClient("t2l-tiny-base").AsIChatClient();
        var response = await client.GetResponseAsync("donkey", new ChatOptions { MaxOutputTokens = 8 });

        Assert.False(string.IsNullOrWhiteSpace(response.Text));
        Assert.Equal("t2l-tiny-base", response.ModelId);
    }
}
