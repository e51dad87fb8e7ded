using System.CommandLine;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Text2Lora.Abstractions;
using Text2Lora.Cli.Commands;
using Text2Lora.DependencyInjection;
using Text2Lora.Encoders;
using Text2Lora.LoraGeneration;
using Text2Lora.TextGeneration;
using Text2Lora.IO.Peft;
using Text2Lora.IO.Safetensors;
using Text2Lora.Lora;
using Text2Lora.Runtime;
using Text2Lora.Tests.Infrastructure;

namespace Text2Lora.Tests.EndToEnd;

/// <summary>
/// The reference's description path end to end on <c>Fixtures/t2l-gte</c> (a reference checkpoint whose
/// <c>emb_model</c> is the tiny gte in <c>Fixtures/gte/model</c>): raw description → <c>add_full_stop</c> → gte →
/// CLS → normalize·√64 → hypernetwork → LoRA, against the reference's <c>generated_lora</c> and task embeddings.
/// Tolerance 1e-5 as the fixture READMEs suggest: values are O(0.1–1) and the float32 paths differ only by reduction order.
/// </summary>
[Trait(TestCategory.Key, TestCategory.Parity)]
public sealed class ReferenceGteCheckpointTests : IDisposable
{
    private const double Tolerance = 1e-5;
    private static readonly string Checkpoint = FixturePaths.Get("t2l-gte");
    private static readonly string GteModel = FixturePaths.Get("gte", "model");
    private readonly TempDirectory _work = new();

    public ReferenceGteCheckpointTests() => TorchRuntime.EnsureAvailable();

    public void Dispose() => _work.Dispose();

    /// <summary>The raw description as the reference's generate_lora.py received it after its own argv strip.</summary>
    private static string RawDescription()
    {
        using var meta = JsonDocument.Parse(File.ReadAllText(Path.Combine(Checkpoint, "meta.json")));
        return meta.RootElement.GetProperty("description_after_cli_strip").GetString()!;
    }

    private static int Run(params string[] args)
    {
        var root = new RootCommand();
        foreach (var command in CommandCatalog.All())
        {
            root.Subcommands.Add(command);
        }

        return root.Parse(args).Invoke();
    }

    private static void AssertReferenceLora(LoraAdapter actual)
    {
        using var expected = PeftAdapterFolder.Load(Path.Combine(Checkpoint, "generated_lora"));
        Assert.Equal(expected.Modules.Keys.Order(StringComparer.Ordinal), actual.Modules.Keys.Order(StringComparer.Ordinal));
        foreach (var (path, weights) in expected.Modules)
        {
            TensorAssert.Close(weights.A, actual.Modules[path].A, Tolerance);
            TensorAssert.Close(weights.B, actual.Modules[path].B, Tolerance);
            Assert.Equal(weights.Scaling, actual.Modules[path].Scaling, 12);
        }
    }

    [Fact]
    public void FromDescription_on_the_reference_checkpoint_finds_its_gte_encoder_and_reproduces_the_reference_lora()
    {
        // args.yaml says emb_model: gte/model, relative to the fixtures root: found above the checkpoint's folder.
        using var generator = Text2LoraBuilder.Create().WithHypernetwork(Checkpoint).WithEmbeddingCache(0).Build();
        var encoder = Assert.IsType<FormattedTaskEncoder>(generator.TaskEncoder);
        Assert.Equal(DescriptionFormat.AddFullStop, encoder.Format);
        Assert.IsType<GteTaskEncoder>(encoder.Inner);

        using var adapter = generator.FromDescription(RawDescription());

        AssertReferenceLora(adapter);
    }

    [Fact]
    public void Encoder_override_and_cache_give_the_same_lora()
    {
        using var generator = Text2LoraBuilder.Create().WithHypernetwork(Checkpoint).WithEncoder(GteModel).WithEmbeddingCache(8).Build();
        using var first = generator.FromDescription(RawDescription());
        using var cached = generator.FromDescription("  " + RawDescription() + ".\n"); // same encoder input after add_full_stop

        AssertReferenceLora(first);
        AssertReferenceLora(cached);
    }

    [Fact]
    public void AddText2Lora_with_the_encoder_option_reproduces_the_reference_lora()
    {
        var services = new ServiceCollection();
        services.AddText2Lora(o =>
        {
            o.HypernetworkDirectory = Checkpoint;
            o.Encoder = GteModel;
        });
        using var provider = services.BuildServiceProvider();

        using var adapter = provider.GetRequiredService<ILoraGenerator>().FromDescription(RawDescription());

        AssertReferenceLora(adapter);
    }

    [Fact]
    public void Generate_command_with_the_gte_encoder_writes_the_reference_lora()
    {
        var output = _work.File("lora");

        Assert.Equal(0, Run("generate", "--hypernetwork", Checkpoint, "--encoder", GteModel, "--description", RawDescription(), "--output", output));

        using var written = PeftAdapterFolder.Load(output);
        AssertReferenceLora(written);
    }

    [Fact]
    public void Embed_command_writes_the_reference_task_embeddings()
    {
        var cases = JsonDocument.Parse(File.ReadAllText(FixturePaths.Get("gte", "t2l_descriptions.json"))).RootElement
            .EnumerateArray().Select(e => e.GetProperty("raw").GetString()!).ToArray();
        var output = _work.File("emb.safetensors");

        Assert.Equal(0, Run(["embed", "--encoder", GteModel, .. cases.SelectMany(c => new[] { "--description", c }), "--output", output]));

        using var expectedFile = SafetensorsFile.Open(FixturePaths.Get("gte", "expected.safetensors"));
        using var expected = expectedFile.ReadTensor("t2l_desc.batch.task_emb");
        using var writtenFile = SafetensorsFile.Open(output);
        using var written = writtenFile.ReadTensor(TaskEmbeddingFile.TensorName);
        Assert.Equal(TorchSharp.torch.ScalarType.Float32, written.dtype);
        TensorAssert.Close(expected, written, Tolerance);

        // And the hypernetwork input of the end-to-end fixture, through the file path of t2l generate.
        var single = _work.File("one.safetensors");
        Assert.Equal(0, Run("embed", "--encoder", GteModel, "--description", RawDescription(), "--output", single));
        using var checkpointExpected = SafetensorsFile.Open(Path.Combine(Checkpoint, "expected.safetensors"));
        using var taskEmb = checkpointExpected.ReadTensor("task_emb");
        using var one = TaskEmbeddingFile.Load(single, 64);
        TensorAssert.Close(taskEmb, one, Tolerance);
        Assert.Equal(0, Run("generate", "--hypernetwork", Checkpoint, "--task-embedding", single, "--output", _work.File("from-file")));
        using var written2 = PeftAdapterFolder.Load(_work.File("from-file"));
        AssertReferenceLora(written2);
    }
}
