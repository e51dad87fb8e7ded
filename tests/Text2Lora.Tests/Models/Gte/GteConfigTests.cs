using Text2Lora.Models.Gte;
using Text2Lora.Models.Llama;
using Text2Lora.Tests.Infrastructure;

namespace Text2Lora.Tests.Models.Gte;

/// <summary>config.json parsing: the fixture's config, and typed refusals of every feature the port does not implement.</summary>
[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class GteConfigTests
{
    [Fact]
    public void The_fixture_config_parses()
    {
        var config = GteConfig.Load(FixturePaths.Get("gte", "model"));
        Assert.Equal(64, config.HiddenSize);
        Assert.Equal(4, config.NumAttentionHeads);
        Assert.Equal(16, config.HeadDim);
        Assert.Equal(2, config.NumHiddenLayers);
        Assert.Equal(128, config.IntermediateSize);
        Assert.Equal(384, config.VocabSize);
        Assert.Equal(2, config.TypeVocabSize);
        Assert.Equal(32, config.MaxPositionEmbeddings);
        Assert.Equal(160000, config.RopeTheta);
        Assert.Equal(2.0, config.NtkScalingFactor);
        Assert.Equal(1e-12, config.LayerNormEps);
        Assert.Equal("gelu", config.HiddenAct);
    }

    [Theory]
    [InlineData("\"unpad_inputs\": true", "unpad_inputs")]
    [InlineData("\"use_memory_efficient_attention\": true", "use_memory_efficient_attention")]
    [InlineData("\"logn_attention_scale\": true", "logn_attention_scale")]
    [InlineData("\"pack_qkv\": false", "pack_qkv")]
    [InlineData("\"layer_norm_type\": \"rms_norm\"", "layer_norm_type")]
    [InlineData("\"position_embedding_type\": \"absolute\"", "position_embedding_type")]
    [InlineData("\"hidden_act\": \"gelu_new\"", "hidden_act")]
    [InlineData("\"rope_scaling\": {\"type\": \"linear\", \"factor\": 2.0}", "rope_scaling.type")]
    [InlineData("\"rope_scaling\": {\"type\": \"dynamic\", \"factor\": 2.0}", "rope_scaling.type")]
    [InlineData("\"rope_scaling\": {\"type\": \"ntk\"}", "rope_scaling.factor")]
    [InlineData("\"rope_scaling\": {\"type\": \"ntk\", \"factor\": 1.0}", "rope_scaling.factor")]
    [InlineData("\"model_type\": \"bert\"", "model_type")]
    [InlineData("\"num_attention_heads\": 5", "num_attention_heads")]
    [InlineData("\"hidden_size\": -64", "hidden_size")]
    [InlineData("\"num_hidden_layers\": 1000000", "num_hidden_layers")]
    [InlineData("\"layer_norm_eps\": 0", "layer_norm_eps")]
    [InlineData("\"hidden_size\": \"64\"", "hidden_size")]
    public void Unimplemented_or_invalid_settings_are_refused_naming_the_key(string setting, string key)
    {
        var fields = new List<string> { setting };
        foreach (var (name, value) in new[] { ("model_type", "\"new\""), ("hidden_size", "64"), ("num_attention_heads", "4") })
        {
            if (!setting.StartsWith($"\"{name}\"", StringComparison.Ordinal))
            {
                fields.Add($"\"{name}\": {value}");
            }
        }

        var json = "{" + string.Join(", ", fields) + "}";
        var error = Assert.Throws<ModelFormatException>(() => GteConfig.Parse(json, "/models/gte/config.json"));
        Assert.Equal(key, error.Key);
        Assert.Contains(key, error.Message, StringComparison.Ordinal);
        Assert.Contains("/models/gte/config.json", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_rope_without_scaling_is_accepted()
    {
        var config = GteConfig.Parse("""{"hidden_size": 64, "num_attention_heads": 4, "rope_scaling": null}""", "config.json");
        Assert.Null(config.NtkScalingFactor);
    }

    [Fact]
    public void Loading_a_model_whose_weights_do_not_fit_names_the_tensor()
    {
        using var directory = new TempDirectory();
        File.Copy(FixturePaths.Get("gte", "model", "model.safetensors"), directory.File("model.safetensors"));
        var config = File.ReadAllText(FixturePaths.Get("gte", "model", "config.json")).Replace("\"intermediate_size\": 128", "\"intermediate_size\": 96", StringComparison.Ordinal);
        File.WriteAllText(directory.File("config.json"), config);
        var error = Assert.Throws<ModelFormatException>(() => GteModel.Load(directory.Path));
        Assert.Equal("encoder.layer.0.mlp.up_gate_proj.weight", error.Key); // [256, 64] on disk, [192, 64] implied
    }
}
