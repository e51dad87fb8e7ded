using Text2Lora.IO.Hub;
using Text2Lora.Tests.Infrastructure;

namespace Text2Lora.Tests.IO.Hub;

/// <summary>The reference syntax <c>org/name[@revision][:subfolder]</c> and the environment huggingface_hub reads.</summary>
[Trait(TestCategory.Key, TestCategory.Parity)]
public sealed class HubReferenceTests
{
    [Theory]
    [InlineData("mistralai/Mistral-7B-Instruct-v0.2", "mistralai/Mistral-7B-Instruct-v0.2", "main", null)]
    [InlineData("SakanaAI/text-to-lora:trained_t2l/mistral_7b_t2l", "SakanaAI/text-to-lora", "main", "trained_t2l/mistral_7b_t2l")]
    [InlineData("Alibaba-NLP/gte-large-en-v1.5@a0d6174973604c8ef416d9f6ed0f4c17ab32d78d", "Alibaba-NLP/gte-large-en-v1.5", "a0d6174973604c8ef416d9f6ed0f4c17ab32d78d", null)]
    [InlineData("org/name@refs/pr/1:sub/dir/", "org/name", "refs/pr/1", "sub/dir")]
    public void Parses_repo_revision_and_subfolder(string text, string repo, string revision, string? subfolder)
    {
        Assert.True(HubReference.TryParse(text, out var reference));
        Assert.Equal(new HubReference(repo, revision, subfolder), reference);
    }

    [Theory]
    [InlineData("/abs/path/model")]
    [InlineData("./model")]
    [InlineData("../a/b")]
    [InlineData("just-a-name")]
    [InlineData("a/b/c")]
    [InlineData("org/name:../escape")]
    [InlineData("org/name@")]
    [InlineData("C:\\models\\llama")]
    [InlineData("org--x/name")]
    public void Rejects_paths_and_malformed_references(string text)
    {
        Assert.False(HubReference.TryParse(text, out _));
        Assert.Throws<ArgumentException>(() => HubReference.Parse(text));
    }

    [Fact]
    public void Round_trips_through_its_text()
    {
        var reference = HubReference.Parse("org/name@v1:sub");
        Assert.Equal("org/name@v1:sub", reference.ToString());
        Assert.Equal("org/name", HubReference.Parse("org/name@main").ToString());
    }

    [Fact]
    public void Environment_follows_huggingface_hub_precedence()
    {
        using var home = new Infrastructure.TempDirectory();
        File.WriteAllText(home.File("token"), "  hf_file  \n");
        var environment = new Dictionary<string, string?>
        {
            ["HF_HOME"] = home.Path,
            ["HF_ENDPOINT"] = "http://127.0.0.1:9/",
            ["HF_HUB_OFFLINE"] = "1",
        };
        HubOptions Read() => HubOptions.FromEnvironment(name => environment.GetValueOrDefault(name));

        var fromHome = Read();
        environment["HF_HUB_CACHE"] = "/custom/cache";
        environment["HF_TOKEN"] = "hf_env";
        environment["HF_HUB_OFFLINE"] = "false";
        var explicitValues = Read();
        var defaults = HubOptions.FromEnvironment(name => name == "XDG_CACHE_HOME" ? "/xdg" : null);

        Assert.Equal(Path.Combine(home.Path, "hub"), fromHome.CacheDirectory);
        Assert.Equal("hf_file", fromHome.Token);
        Assert.Equal("http://127.0.0.1:9", fromHome.Endpoint);
        Assert.True(fromHome.Offline);
        Assert.Equal("/custom/cache", explicitValues.CacheDirectory);
        Assert.Equal("hf_env", explicitValues.Token);
        Assert.False(explicitValues.Offline);
        Assert.Equal(Path.Combine("/xdg", "huggingface", "hub"), defaults.CacheDirectory);
        Assert.Equal(HubOptions.DefaultEndpoint, defaults.Endpoint);
        Assert.Null(defaults.Token);
    }
}
