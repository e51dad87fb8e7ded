using Text2Lora.Abstractions;
using Text2Lora.IO.Safetensors;
using Text2Lora.Models.Llama;
using Text2Lora.Tests.Infrastructure;
using static TorchSharp.torch;

namespace Text2Lora.Tests.Models;

/// <summary>Broken checkpoint folders give typed errors naming the key; sharded and low-precision checkpoints load.</summary>
[Trait(TestCategory.Key, TestCategory.InputErrors)]
public sealed class CheckpointErrorTests
{
    private static readonly string Source = FixturePaths.Get("llama", "model");

    [Fact]
    public void Missing_tensor_is_named()
    {
        using var dir = CopyWith(tensors => tensors.Remove("model.layers.1.mlp.up_proj.weight"));
        var ex = Assert.Throws<ModelFormatException>(() => LlamaFamilyModel.Load(dir.Path));
        Assert.Equal("model.layers.1.mlp.up_proj.weight", ex.Key);
        Assert.Contains("missing", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Wrong_shape_is_named_with_both_shapes()
    {
        using var dir = CopyWith(tensors => tensors["model.norm.weight"] = zeros(65));
        var ex = Assert.Throws<ModelFormatException>(() => LlamaFamilyModel.Load(dir.Path));
        Assert.Equal("model.norm.weight", ex.Key);
        Assert.Contains("[65]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[64]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unexpected_tensor_is_named()
    {
        using var dir = CopyWith(tensors => tensors["model.layers.0.self_attn.q_proj.bias"] = zeros(64));
        var ex = Assert.Throws<ModelFormatException>(() => LlamaFamilyModel.Load(dir.Path));
        Assert.Equal("model.layers.0.self_attn.q_proj.bias", ex.Key);
    }

    [Fact]
    public void Unknown_model_type_is_rejected()
    {
        using var dir = CopyWith(_ => { }, config => config.Replace("\"llama\"", "\"gpt_neox\"", StringComparison.Ordinal));
        var ex = Assert.Throws<ModelFormatException>(() => LlamaFamilyModel.Load(dir.Path));
        Assert.Equal("model_type", ex.Key);
        Assert.Contains("gpt_neox", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Corrupt_config_json_names_the_file()
    {
        using var dir = CopyWith(_ => { }, config => config[..(config.Length / 2)]);
        var ex = Assert.Throws<ModelFormatException>(() => LlamaFamilyModel.Load(dir.Path));
        Assert.EndsWith("config.json", ex.FilePath, StringComparison.Ordinal);
        Assert.Contains("invalid JSON", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_config_field_is_named()
    {
        using var dir = CopyWith(_ => { }, config => config.Replace("\"num_key_value_heads\": 2", "\"num_key_value_heads\": 3", StringComparison.Ordinal));
        var ex = Assert.Throws<ModelFormatException>(() => LlamaFamilyModel.Load(dir.Path));
        Assert.Equal("num_key_value_heads", ex.Key);
    }

    [Fact]
    public void Sharded_checkpoint_gives_the_same_logits()
    {
        using var dir = new TempDirectory();
        File.Copy(Path.Combine(Source, "config.json"), dir.File("config.json"));
        var tensors = ReadAll();
        var keys = tensors.Keys.Order(StringComparer.Ordinal).ToArray();
        var shards = new[] { keys[..(keys.Length / 2)], keys[(keys.Length / 2)..] };
        var map = new Dictionary<string, string>();
        for (var s = 0; s < 2; s++)
        {
            var file = $"model-0000{s + 1}-of-00002.safetensors";
            SafetensorsWriter.Write(dir.File(file), shards[s].Select(k => KeyValuePair.Create(k, tensors[k])));
            foreach (var k in shards[s])
            {
                map[k] = file;
            }
        }

        File.WriteAllText(dir.File("model.safetensors.index.json"), System.Text.Json.JsonSerializer.Serialize(new { metadata = new { }, weight_map = map }));
        DisposeAll(tensors);

        using var sharded = LlamaFamilyModel.Load(dir.Path);
        using var single = LlamaFamilyModel.Load(Source);
        using var ids = tensor(new long[] { 1, 5, 9, 77, 300, 2 }, [1, 6]);
        using var a = sharded.Forward(new ModelForwardInput(ids));
        using var b = single.Forward(new ModelForwardInput(ids));
        TensorAssert.BitEqual(b.Logits!, a.Logits!);
    }

    [Theory]
    [InlineData(ScalarType.BFloat16, 0.05)]
    [InlineData(ScalarType.Float16, 0.01)]
    public void Low_precision_weights_load_and_stay_close_to_float32(ScalarType dtype, double atol)
    {
        // bf16 keeps 8 mantissa bits (relative 2^-9 ≈ 2e-3 per op) and fp16 11 bits; over 2 layers with logits
        // of O(1) the drift stays well under these bounds, while a wrong cast (e.g. raw bits) is off by orders of magnitude.
        using var low = LlamaFamilyModel.Load(Source, new ModelLoadOptions { DType = dtype });
        using var full = LlamaFamilyModel.Load(Source);
        Assert.Equal(dtype, low.NamedParameter("model.norm.weight").dtype);
        using var ids = tensor(new long[] { 1, 5, 9, 77, 300, 2 }, [1, 6]);
        using var a = low.Forward(new ModelForwardInput(ids));
        using var b = full.Forward(new ModelForwardInput(ids));
        TensorAssert.Close(b.Logits!, a.Logits!.to_type(ScalarType.Float32), atol);
    }

    private static Dictionary<string, Tensor> ReadAll()
    {
        using var file = SafetensorsFile.Open(Path.Combine(Source, "model.safetensors"));
        return file.ReadAll();
    }

    private static void DisposeAll(Dictionary<string, Tensor> tensors)
    {
        foreach (var t in tensors.Values)
        {
            t.Dispose();
        }
    }

    private static TempDirectory CopyWith(Action<Dictionary<string, Tensor>> editTensors, Func<string, string>? editConfig = null)
    {
        var dir = new TempDirectory();
        var config = File.ReadAllText(Path.Combine(Source, "config.json"));
        File.WriteAllText(dir.File("config.json"), editConfig?.Invoke(config) ?? config);
        var tensors = ReadAll();
        editTensors(tensors);
        SafetensorsWriter.Write(dir.File("model.safetensors"), tensors);
        DisposeAll(tensors);
        return dir;
    }
}
