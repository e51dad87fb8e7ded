using System.Text.Json.Nodes;
using Text2Lora.IO;
using Text2Lora.Tests.Infrastructure;
using Text2Lora.Tokenization;
using Xunit;

namespace Text2Lora.Tests.Tokenization;

/// <summary>Missing or corrupt tokenizer files give a <see cref="TokenizerFormatException"/> naming the file.</summary>
[Trait(TestCategory.Key, TestCategory.InputErrors)]
public sealed class TokenizerLoaderErrorTests
{
    [Fact]
    public void Missing_folder_is_named()
    {
        string missing = Path.Combine(Path.GetTempPath(), "t2l-no-such-model-" + Guid.NewGuid().ToString("N"));
        var ex = Assert.Throws<TokenizerFormatException>(() => TokenizerLoader.Load(missing));
        Assert.Equal(missing, ex.FilePath);
    }

    [Fact]
    public void Folder_without_tokenizer_files_is_rejected()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(folder.File("config.json"), "{}");
        var ex = Assert.Throws<TokenizerFormatException>(() => TokenizerLoader.Load(folder.Path));
        Assert.Contains("tokenizer.model", ex.Message, StringComparison.Ordinal);
        Assert.Contains("tokenizer.json", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Corrupt_tokenizer_config_json_is_named()
    {
        using var folder = new TempDirectory();
        MiniByteLevelTokenizers.WriteQwen2(folder.Path);
        File.WriteAllText(folder.File("tokenizer_config.json"), "{ \"eos_token\": ");
        InvalidFileFormatException ex = Assert.Throws<TokenizerFormatException>(() => TokenizerLoader.Load(folder.Path));
        Assert.Equal(folder.File("tokenizer_config.json"), ex.FilePath);
    }

    [Fact]
    public void Corrupt_tokenizer_json_is_named()
    {
        using var folder = new TempDirectory();
        MiniByteLevelTokenizers.WriteQwen2(folder.Path);
        File.WriteAllText(folder.File("tokenizer.json"), "[1, 2");
        var ex = Assert.Throws<TokenizerFormatException>(() => TokenizerLoader.Load(folder.Path));
        Assert.Equal(folder.File("tokenizer.json"), ex.FilePath);
    }

    [Fact]
    public void Corrupt_generation_config_json_is_named()
    {
        using var folder = new TempDirectory();
        MiniByteLevelTokenizers.WriteQwen2(folder.Path);
        File.WriteAllText(folder.File("generation_config.json"), "{\"eos_token_id\": \"two\"}");
        var ex = Assert.Throws<TokenizerFormatException>(() => TokenizerLoader.Load(folder.Path));
        Assert.Equal(folder.File("generation_config.json"), ex.FilePath);
        Assert.Contains("eos_token_id", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Corrupt_sentencepiece_model_is_named()
    {
        using var folder = new TempDirectory();
        File.WriteAllBytes(folder.File("tokenizer.model"), [0xFF, 0xFF, 0xFF, 0x01, 0x02]);
        var ex = Assert.Throws<TokenizerFormatException>(() => TokenizerLoader.Load(folder.Path));
        Assert.Equal(folder.File("tokenizer.model"), ex.FilePath);
    }

    [Fact]
    public void Non_byte_level_tokenizer_json_is_rejected_with_the_reason()
    {
        using var folder = new TempDirectory();
        MiniByteLevelTokenizers.WriteQwen2(folder.Path);
        JsonObject tokenizer = JsonNode.Parse(File.ReadAllText(folder.File("tokenizer.json")))!.AsObject();
        tokenizer["pre_tokenizer"] = new JsonObject { ["type"] = "Metaspace", ["replacement"] = "▁" };
        File.WriteAllText(folder.File("tokenizer.json"), tokenizer.ToJsonString());

        var ex = Assert.Throws<TokenizerFormatException>(() => TokenizerLoader.Load(folder.Path));
        Assert.Equal(folder.File("tokenizer.json"), ex.FilePath);
        Assert.Contains("Metaspace", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_merge_is_reported_with_its_index()
    {
        using var folder = new TempDirectory();
        MiniByteLevelTokenizers.WriteLlama3(folder.Path);
        JsonObject tokenizer = JsonNode.Parse(File.ReadAllText(folder.File("tokenizer.json")))!.AsObject();
        tokenizer["model"]!["merges"]!.AsArray()[2] = "llo";
        File.WriteAllText(folder.File("tokenizer.json"), tokenizer.ToJsonString());

        var ex = Assert.Throws<TokenizerFormatException>(() => TokenizerLoader.Load(folder.Path));
        Assert.Contains("model.merges[2]", ex.Message, StringComparison.Ordinal);
    }
}
