using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Text2Lora.Abstractions;
using Text2Lora.Encoders;
using Text2Lora.LoraGeneration;
using Text2Lora.Runtime;
using Text2Lora.Training.Configuration;
using Text2Lora.Training.Lora;
using static TorchSharp.torch;

namespace Text2Lora.Tests.Devices;

/// <summary>
/// Device and dtype handling that runs on the CPU: host reads go through a float32 CPU copy, options and configs
/// validate device and dtype names by field, and model paths in config files follow the command line's hub rule.
/// </summary>
public sealed class DeviceHandlingTests
{
    public DeviceHandlingTests() => TorchRuntime.EnsureAvailable();

    /// <summary>An encoder that answers in bfloat16, as one loaded with <c>DType = bfloat16</c> (or living on CUDA) may.</summary>
    private sealed class BFloat16Encoder : ITaskEncoder
    {
        public string Id => "test/bf16";

        public int EmbeddingSize => 4;

        public Tensor Encode(IReadOnlyList<string> descriptions, CancellationToken cancellationToken = default) =>
            tensor(Enumerable.Range(0, descriptions.Count * 4).Select(i => i * 0.5f).ToArray(), [descriptions.Count, 4]).to_type(ScalarType.BFloat16);
    }

    [Fact]
    public async Task Embedding_adapter_reads_rows_through_a_float32_host_copy()
    {
        ITaskEncoder encoder = new BFloat16Encoder();
        using var generator = encoder.AsEmbeddingGenerator();

        var embeddings = await generator.GenerateAsync(["a", "b"]);

        // data<float>() on the bf16 tensor itself would throw; the values are exact in bf16 (multiples of 0.5 below 8).
        Assert.Equal([0f, 0.5f, 1f, 1.5f], embeddings[0].Vector.ToArray());
        Assert.Equal([2f, 2.5f, 3f, 3.5f], embeddings[1].Vector.ToArray());
    }

    [Theory]
    [InlineData("gpu", "float32", "Device 'gpu'")]
    [InlineData("cuda:", "float32", "Device 'cuda:'")]
    [InlineData("cpu", "float64", "DType 'float64'")]
    [InlineData("cpu", "bf16", "DType 'bf16'")]
    public void Builder_refuses_bad_device_and_dtype_naming_the_field(string device, string dtype, string expected)
    {
        using var folder = new Infrastructure.TempDirectory();
        var ex = Assert.Throws<OptionsValidationException>(() =>
            Text2LoraBuilder.Create().WithHypernetwork(folder.Path).WithDevice(device).WithDType(dtype).Build());

        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_default_to_float32_on_the_cpu()
    {
        var options = new Text2LoraOptions();
        Assert.Equal("cpu", options.Device);
        Assert.Equal("float32", options.DType);
    }

    [Theory]
    [InlineData("\"device\": \"gpu\"", "loop.device")]
    [InlineData("\"device\": \"cuda:x\"", "loop.device")]
    public void Trainer_config_with_a_bad_device_names_the_field(string loopField, string expectedField)
    {
        using var work = new Infrastructure.TempDirectory();
        File.WriteAllText(work.File("lora.json"), $$"""
            { "baseModel": { "directory": "model" }, "data": { "tasksDirectory": "tasks", "trainTasks": [ "t" ] }, "loop": { "outputDirectory": "out", {{loopField}} } }
            """);

        var ex = Assert.Throws<TrainerConfigException>(() => TrainerConfigFile.Load<LoraTrainerOptions>(work.File("lora.json")));

        Assert.Contains(expectedField, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Trainer_config_device_is_read()
    {
        using var work = new Infrastructure.TempDirectory();
        File.WriteAllText(work.File("lora.json"), """
            { "baseModel": { "directory": "model" }, "data": { "tasksDirectory": "tasks", "trainTasks": [ "t" ] }, "loop": { "outputDirectory": "out", "device": "cuda:1" } }
            """);

        var options = TrainerConfigFile.Load<LoraTrainerOptions>(work.File("lora.json"));

        Assert.Equal("cuda:1", options.Loop.Device);
        Assert.Equal("cpu", new LoraTrainerOptions().Loop.Device);
    }

    [Fact]
    public void Config_model_paths_are_folders_next_to_the_file_else_hub_references()
    {
        using var work = new Infrastructure.TempDirectory();
        Directory.CreateDirectory(work.File(Path.Combine("models", "tiny")));

        Assert.Equal(work.File(Path.Combine("models", "tiny")), ConfigPaths.ResolveModel("models/tiny", work.Path));
        Assert.Equal("org/name", ConfigPaths.ResolveModel("org/name", work.Path));
        Assert.Equal("SakanaAI/text-to-lora@main:trained_t2l/mistral_7b_t2l", ConfigPaths.ResolveModel("SakanaAI/text-to-lora@main:trained_t2l/mistral_7b_t2l", work.Path));
        Assert.Equal(work.File("missing"), ConfigPaths.ResolveModel("missing", work.Path)); // not a hub reference: the loader names the path
        Assert.Equal(work.File(Path.Combine("a", "b", "c")), ConfigPaths.ResolveModel("a/b/c", work.Path));
        Assert.Equal("", ConfigPaths.ResolveModel("", work.Path));
    }
}
