using System.CommandLine;
using Text2Lora.Cli.Commands;
using Text2Lora.IO.Peft;
using Text2Lora.IO.Safetensors;
using Text2Lora.Runtime;
using Text2Lora.Tests.Fakes;
using Text2Lora.Tests.Generation;
using Text2Lora.Tests.Infrastructure;
using static TorchSharp.torch;

namespace Text2Lora.Tests.Cli;

/// <summary><c>t2l generate</c> end to end with a FAKE hypernetwork loader (the real loader is tested with the hypernetworks).</summary>
[Trait(TestCategory.Key, TestCategory.EndToEnd)]
public sealed class GenerateCommandTests : IDisposable
{
    private readonly TempDirectory _work = new();
    private readonly RecordingHypernetworkLoader _loader = new();

    public GenerateCommandTests()
    {
        TorchRuntime.EnsureAvailable();
        Directory.CreateDirectory(_work.File("checkpoint"));
    }

    public void Dispose() => _work.Dispose();

    private int Run(params string[] args)
    {
        var root = new RootCommand { GenerateCommand.Create(_loader) };
        return root.Parse(["generate", "--hypernetwork", _work.File("checkpoint"), .. args]).Invoke();
    }

    [Fact]
    public void Task_embedding_file_bypasses_the_encoder_and_writes_the_hypernetworks_adapter()
    {
        using var embedding = randn(1, 384, generator: new TorchSharp.torch.Generator(3));
        SafetensorsWriter.Write(_work.File("emb.safetensors"), [KeyValuePair.Create(GenerateCommand.TaskEmbeddingKey, embedding)]);

        Assert.Equal(0, Run("--task-embedding", _work.File("emb.safetensors"), "--output", _work.File("out")));

        using var written = PeftAdapterFolder.Load(_work.File("out"));
        using var reference = new LinearFakeHypernetwork(384);
        var expected = reference.Generate(embedding);
        LoraGeneratorTests.AssertSameAdapter(expected[0], written);
        expected[0].Dispose();
    }

    [Fact]
    public void Json_prints_one_object_describing_the_written_adapter()
    {
        using var embedding = randn(1, 384, generator: new TorchSharp.torch.Generator(5));
        SafetensorsWriter.Write(_work.File("emb.safetensors"), [KeyValuePair.Create(GenerateCommand.TaskEmbeddingKey, embedding)]);
        using var stdout = new StringWriter();
        var root = new RootCommand { GenerateCommand.Create(_loader) };

        var code = root.Parse(["generate", "--hypernetwork", _work.File("checkpoint"), "--task-embedding", _work.File("emb.safetensors"), "--output", _work.File("out"), "--json"])
            .Invoke(new InvocationConfiguration { Output = stdout });

        Assert.Equal(0, code);
        // The whole of stdout is one JSON object (Parse throws on anything around it).
        var json = System.Text.Json.Nodes.JsonNode.Parse(stdout.ToString())!.AsObject();
        using var written = PeftAdapterFolder.Load(_work.File("out"));
        Assert.Equal(_work.File("out"), (string?)json["output"]);
        Assert.Equal(written.Config.R, (int)json["rank"]!);
        Assert.Equal(written.Config.LoraAlpha, (double)json["alpha"]!);
        Assert.Equal(written.Modules.Count, (int)json["modules"]!);
        Assert.Equal(written.Config.BaseModelNameOrPath, (string?)json["base_model"]);
        Assert.Null(json["task_description"]);
    }

    [Fact]
    public void Description_is_embedded_and_saved_with_task_desc()
    {
        Assert.Equal(0, Run("--description", "Answer trivia questions.", "--output", _work.File("out"), "--base-model", _work.Path));
        Assert.Equal("Answer trivia questions.", File.ReadAllText(Path.Combine(_work.File("out"), PeftAdapterFolder.TaskDescriptionFileName)));
        Assert.Equal(_work.Path, _loader.Loads.Single().BaseModel);
    }

    [Fact]
    public void Usage_errors_leave_existing_files_alone()
    {
        Assert.Equal(CliErrors.UsageError, Run("--output", _work.File("out")));
        Assert.Equal(CliErrors.UsageError, Run("--description", "x", "--task-embedding", "y", "--output", _work.File("out")));

        Directory.CreateDirectory(_work.File("busy"));
        File.WriteAllText(Path.Combine(_work.File("busy"), "keep.txt"), "precious");
        Assert.Equal(CliErrors.UsageError, Run("--description", "Answer trivia.", "--output", _work.File("busy")));
        Assert.Equal("precious", File.ReadAllText(Path.Combine(_work.File("busy"), "keep.txt")));
        Assert.Empty(_loader.Loads);
    }

    [Fact]
    public void Wrong_task_embedding_shape_is_an_input_error()
    {
        using var embedding = zeros(1, 10);
        SafetensorsWriter.Write(_work.File("emb.safetensors"), [KeyValuePair.Create(GenerateCommand.TaskEmbeddingKey, embedding)]);
        Assert.Equal(CliErrors.InputError, Run("--task-embedding", _work.File("emb.safetensors"), "--output", _work.File("out")));
        Assert.False(Directory.Exists(_work.File("out")));
    }
}
