using Text2Lora.Tests.Infrastructure;

namespace Text2Lora.Tests.Cli;

/// <summary><c>t2l info</c> on a model folder (the built tool run as a process).</summary>
[Trait(TestCategory.Key, TestCategory.EndToEnd)]
public sealed class InfoModelTests
{
    [Fact]
    public void Describes_stories260k_from_its_config_and_tokenizer_files()
    {
        var (code, output) = LogitsCommandTests.RunTool($"info \"{Stories260k.ModelDirectory}\"");

        Assert.True(code == 0, output);
        Assert.Contains("llama model", output, StringComparison.Ordinal);
        Assert.Contains("260,032 (output head tied to the embeddings)", output, StringComparison.Ordinal); // stories260k/README.md
        Assert.Contains("8 query, 4 key/value, head dim 8", output, StringComparison.Ordinal);
        Assert.Contains("SentencePiece (tokenizer.model)", output, StringComparison.Ordinal);
        Assert.Contains("none (plain base model)", output, StringComparison.Ordinal);
        Assert.Contains("gate_proj", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Folder_of_no_known_kind_is_a_usage_error()
    {
        using var dir = new TempDirectory();
        var (code, output) = LogitsCommandTests.RunTool($"info \"{dir.Path}\"");

        Assert.Equal(2, code);
        Assert.Contains("config.json", output, StringComparison.Ordinal);
    }
}
