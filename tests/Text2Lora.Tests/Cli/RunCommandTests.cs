using Text2Lora.Tests.Infrastructure;

namespace Text2Lora.Tests.Cli;

/// <summary><c>t2l run</c> end to end (the built tool run as a process) on stories260k's real weights.</summary>
[Trait(TestCategory.Key, TestCategory.EndToEnd)]
public sealed class RunCommandTests
{
    [Theory]
    [InlineData(Stories260k.DogPrompt, Stories260k.DogContinuation)]
    [InlineData(Stories260k.LilyPrompt, Stories260k.LilyContinuation)]
    public void Prints_the_fixture_greedy_continuation(string prompt, string expected)
    {
        var (code, output) = LogitsCommandTests.RunTool($"run --model \"{Stories260k.ModelDirectory}\" --prompt \"{prompt}\" --max-new-tokens 32");

        Assert.True(code == 0, output);
        Assert.Equal(expected + Environment.NewLine, output);
    }

    [Fact]
    public void Stop_strings_cut_the_completion()
    {
        var (code, output) = LogitsCommandTests.RunTool($"run --model \"{Stories260k.ModelDirectory}\" --prompt \"{Stories260k.LilyPrompt}\" --max-new-tokens 32 --stop . --stop box");

        Assert.True(code == 0, output);
        Assert.Equal("with her toys" + Environment.NewLine, output);
    }

    [Fact]
    public void Sampling_with_a_seed_is_reproducible()
    {
        var args = $"run --model \"{Stories260k.ModelDirectory}\" --prompt \"{Stories260k.LilyPrompt}\" --max-new-tokens 24 --temperature 1.0 --seed 3";
        var first = LogitsCommandTests.RunTool(args);
        var second = LogitsCommandTests.RunTool(args);

        Assert.True(first.Code == 0, first.Output);
        Assert.Equal(first.Output, second.Output);
        Assert.True(first.Output.Trim().Length > 0);
    }

    [Theory]
    [InlineData("--chat", 2, "no chat template")] // stories260k is a plain base model
    [InlineData("--max-new-tokens 0", 2, "--max-new-tokens")]
    [InlineData("--temperature -1", 2, "--temperature")]
    public void Bad_arguments_are_usage_errors(string extra, int expectedCode, string message)
    {
        var (code, output) = LogitsCommandTests.RunTool($"run --model \"{Stories260k.ModelDirectory}\" --prompt \"Lily\" {extra}");

        Assert.Equal(expectedCode, code);
        Assert.Contains(message, output, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_model_folder_is_an_input_error()
    {
        using var dir = new TempDirectory();
        var (code, output) = LogitsCommandTests.RunTool($"run --model \"{dir.File("nope")}\" --prompt Lily");

        Assert.Equal(3, code);
        Assert.Contains("nope", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Model_folder_without_a_tokenizer_is_an_input_error()
    {
        var (code, output) = LogitsCommandTests.RunTool($"run --model \"{FixturePaths.Get("llama", "model")}\" --prompt Lily");

        Assert.Equal(3, code);
        Assert.Contains("tokenizer", output, StringComparison.Ordinal);
    }
}
