using System.Text.Json;
using Text2Lora.Tests.Infrastructure;

namespace Text2Lora.Tests.Cli;

/// <summary><c>t2l eval</c> as registered in the tool, with real base models (the built tool run as a process).</summary>
[Trait(TestCategory.Key, TestCategory.EndToEnd)]
public sealed class EvalEndToEndTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Task_folder_on_stories260k_prints_accuracy_last()
    {
        // Two items whose outputs are the fixture's greedy continuations (stories260k/README.md), one that is not.
        var task = WriteTask(
            (Stories260k.DogPrompt, Stories260k.DogContinuation),
            (Stories260k.LilyPrompt, Stories260k.LilyContinuation),
            (Stories260k.LilyPrompt, "with her ball"));
        var results = _dir.File("out/tasks.jsonl");

        var (code, output) = LogitsCommandTests.RunTool(
            $"eval --model \"{Stories260k.ModelDirectory}\" --benchmark tasks --data \"{task}\" --max-new-tokens 32 --output \"{results}\"");

        Assert.True(code == 0, output);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("accuracy: 0.667", lines[^1]);
        var outputs = File.ReadAllLines(results).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("output").GetString()).ToList();
        Assert.Equal([Stories260k.DogContinuation, Stories260k.LilyContinuation, Stories260k.LilyContinuation], outputs);
    }

    [Fact]
    public void Json_puts_one_object_on_stdout_and_progress_and_logs_on_stderr()
    {
        var task = WriteTask(
            (Stories260k.DogPrompt, Stories260k.DogContinuation),
            (Stories260k.LilyPrompt, "with her ball"));
        var results = _dir.File("out/tasks.jsonl");

        var (code, stdout, stderr) = LogitsCommandTests.RunToolSeparately(
            $"eval --model \"{Stories260k.ModelDirectory}\" --benchmark tasks --data \"{task}\" --max-new-tokens 32 --output \"{results}\" --prompt-format T2L --json");

        Assert.True(code == 0, stderr + stdout);
        // The whole of stdout is one JSON object (Parse throws on anything around it); one of two items is the fixture's continuation.
        var json = System.Text.Json.Nodes.JsonNode.Parse(stdout)!.AsObject();
        Assert.Equal("tasks", (string?)json["benchmark"]);
        Assert.Equal(2, (int)json["items"]!);
        Assert.Equal(1, (int)json["correct"]!);
        Assert.Equal(0.5, (double)json["accuracy"]!);
        Assert.Equal("t2l", (string?)json["prompt_format"]);
        Assert.Equal(results, (string?)json["results"]);
        Assert.True(File.Exists((string?)json["summary"]));
        Assert.Contains("eval: 2/2 items", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Adapter_and_hypernetwork_sources_run_end_to_end()
    {
        // The tiny llama fixture has no tokenizer; stories260k's has the same 512-token vocabulary, so the copy below is
        // a complete model folder for the T2L fixture (whose emb_model is empty: the base model embeds the description).
        var model = _dir.File("llama");
        Directory.CreateDirectory(model);
        foreach (var file in Directory.GetFiles(FixturePaths.Get("llama", "model")).Concat(new[] { "tokenizer.model", "tokenizer_config.json", "special_tokens_map.json" }.Select(f => Path.Combine(Stories260k.ModelDirectory, f))))
        {
            File.Copy(file, Path.Combine(model, Path.GetFileName(file)), overwrite: true);
        }

        var task = WriteTask(("Lily liked to play", "x"));
        foreach (var source in new[]
        {
            $"--adapter \"{FixturePaths.Get("llama", "lora_all")}\"",
            $"--hypernetwork \"{FixturePaths.Get("t2l", "M_sft")}\" --description \"Continue the story about Lily.\"",
        })
        {
            var (code, output) = LogitsCommandTests.RunTool(
                $"eval --model \"{model}\" {source} --benchmark tasks --data \"{task}\" --max-new-tokens 4 --output \"{_dir.File("out/r.jsonl")}\"");

            Assert.True(code == 0, output);
            Assert.Equal("accuracy: 0.000", output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1]);
        }
    }

    [Fact]
    public void Hypernetwork_without_description_is_a_usage_error()
    {
        var (code, output) = LogitsCommandTests.RunTool(
            $"eval --model \"{Stories260k.ModelDirectory}\" --hypernetwork \"{FixturePaths.Get("t2l", "M_sft")}\" --benchmark tasks --data \"{WriteTask(("a", "b"))}\"");

        Assert.Equal(2, code);
        Assert.Contains("--description", output, StringComparison.Ordinal);
    }

    private string WriteTask(params (string Input, string Output)[] examples)
    {
        var folder = _dir.File("task");
        Directory.CreateDirectory(folder);
        File.WriteAllLines(Path.Combine(folder, "test.jsonl"), examples.Select(e => JsonSerializer.Serialize(new { input = e.Input, output = e.Output })));
        return folder;
    }
}
