using System.Text.Json.Nodes;
using Text2Lora.IO.Peft;
using Text2Lora.IO.Safetensors;
using Text2Lora.Lora;
using Text2Lora.Tests.Infrastructure;
using static TorchSharp.torch;

namespace Text2Lora.Tests.Lora;

[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class PeftAdapterFolderTests
{
    public static TheoryData<string, string, string[]> FixtureAdapters => new()
    {
        { "llama", "lora_qv", ["q_proj", "v_proj"] },
        { "llama", "lora_all", ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"] },
        { "mistral", "lora_all", ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"] },
        { "llama32_tied", "lora_qv", ["q_proj", "v_proj"] },
    };

    // Fixture models: hidden 64, intermediate 128, 4 heads × 16, 2 KV heads × 16 (README).
    private static readonly Dictionary<string, (string Parent, int In, int Out)> Shapes = new()
    {
        ["q_proj"] = ("self_attn", 64, 64),
        ["k_proj"] = ("self_attn", 64, 32),
        ["v_proj"] = ("self_attn", 64, 32),
        ["o_proj"] = ("self_attn", 64, 64),
        ["gate_proj"] = ("mlp", 64, 128),
        ["up_proj"] = ("mlp", 64, 128),
        ["down_proj"] = ("mlp", 128, 64),
    };

    [Theory]
    [MemberData(nameof(FixtureAdapters))]
    public void Reads_peft_fixture_names_shapes_scaling_and_values(string model, string adapterName, string[] modules)
    {
        var dir = FixturePaths.Get(model, adapterName);
        using var adapter = PeftAdapterFolder.Load(dir);

        Assert.Equal(4, adapter.Config.R);
        Assert.Equal(8, adapter.Config.LoraAlpha);
        Assert.Equal("CAUSAL_LM", adapter.Config.TaskType);
        Assert.Equal($"{model}/model", adapter.Config.BaseModelNameOrPath);
        Assert.Equal(modules.Order(), adapter.Config.TargetModules!.Names!.Order());
        Assert.Equal(2 * modules.Length, adapter.Modules.Count);

        var weightsPath = Path.Combine(dir, PeftAdapterFolder.WeightsFileName);
        foreach (var layer in new[] { 0, 1 })
        {
            foreach (var module in modules)
            {
                var (parent, fanIn, fanOut) = Shapes[module];
                var path = $"model.layers.{layer}.{parent}.{module}";
                var weights = adapter.Modules[path];
                Assert.Equal(new long[] { 4, fanIn }, weights.A.shape);
                Assert.Equal(new long[] { fanOut, 4 }, weights.B.shape);
                Assert.Equal(2.0, weights.Scaling); // alpha / r = 8 / 4, use_rslora false

                // Values equal an independent decode of the file bytes.
                Assert.Equal(RawSafetensors.ReadFloat32(weightsPath, $"base_model.model.{path}.lora_A.weight"), weights.A.data<float>().ToArray());
                Assert.Equal(RawSafetensors.ReadFloat32(weightsPath, $"base_model.model.{path}.lora_B.weight"), weights.B.data<float>().ToArray());

                // PEFT's default A init is Kaiming-uniform(a=√5): bound = 1/√fan_in.
                Assert.True(weights.A.abs().max().item<float>() <= 1 / Math.Sqrt(fanIn) + 1e-7);
            }
        }
    }

    [Theory]
    [MemberData(nameof(FixtureAdapters))]
    public void Round_trip_is_bit_identical_and_config_equivalent(string model, string adapterName, string[] modules)
    {
        _ = modules;
        var source = FixturePaths.Get(model, adapterName);
        using var target = new TempDirectory();
        using (var adapter = PeftAdapterFolder.Load(source))
        {
            PeftAdapterFolder.Save(adapter, target.Path);
        }

        using var original = SafetensorsFile.Open(Path.Combine(source, PeftAdapterFolder.WeightsFileName));
        using var written = SafetensorsFile.Open(Path.Combine(target.Path, PeftAdapterFolder.WeightsFileName));
        Assert.Equal(original.Keys.Order(), written.Keys.Order());
        Assert.Equal("pt", written.Metadata["format"]);
        foreach (var key in original.Keys)
        {
            using var expected = original.ReadTensor(key);
            using var actual = written.ReadTensor(key);
            TensorAssert.BitEqual(expected, actual);
        }

        var expectedConfig = JsonNode.Parse(File.ReadAllText(Path.Combine(source, PeftAdapterFolder.ConfigFileName)))!.AsObject();
        var writtenConfig = JsonNode.Parse(File.ReadAllText(Path.Combine(target.Path, PeftAdapterFolder.ConfigFileName)))!.AsObject();
        Assert.Equal(expectedConfig.Select(kv => kv.Key).Order(), writtenConfig.Select(kv => kv.Key));
        foreach (var (key, value) in expectedConfig)
        {
            Assert.True(JsonValuesEquivalent(value, writtenConfig[key]), $"field '{key}': {value?.ToJsonString()} vs {writtenConfig[key]?.ToJsonString()}");
        }
    }

    [Fact]
    public void Unknown_config_fields_survive_a_round_trip()
    {
        var json = """{"r": 2, "lora_alpha": 4, "target_modules": "model\\..*\\.q_proj", "my_future_field": {"x": [1, 2]}, "corda_config": null}""";
        var config = LoraConfig.Parse(json);
        Assert.Equal("model\\..*\\.q_proj", config.TargetModules!.Pattern);
        Assert.True(config.TargetModules.Matches("model.layers.3.self_attn.q_proj"));
        Assert.False(config.TargetModules.Matches("model.layers.3.self_attn.k_proj"));

        var again = JsonNode.Parse(config.ToJson())!;
        Assert.Equal("""{"x":[1,2]}""", again["my_future_field"]!.ToJsonString());
        Assert.True(again.AsObject().ContainsKey("corda_config"));
    }

    [Fact]
    public void Scaling_follows_rslora_and_rank_alpha_patterns_like_peft()
    {
        var config = LoraConfig.Parse("""
            {"r": 8, "lora_alpha": 16, "use_rslora": true, "target_modules": ["q_proj", "v_proj"],
             "rank_pattern": {"v_proj": 4}, "alpha_pattern": {"layers.1.self_attn.q_proj": 2}}
            """);
        Assert.Equal(16 / Math.Sqrt(8), config.ScalingFor("model.layers.0.self_attn.q_proj"), 12);
        Assert.Equal(16 / Math.Sqrt(4), config.ScalingFor("model.layers.0.self_attn.v_proj"), 12);
        Assert.Equal(2 / Math.Sqrt(8), config.ScalingFor("model.layers.1.self_attn.q_proj"), 12);
        // "(.*\.)?pattern$": a pattern must match whole dotted components at the end.
        Assert.Equal(8, config.RankFor("model.layers.0.self_attn.xv_proj"));
    }

    [Theory]
    [InlineData("""{"r": 4, "lora_alpha": 8, "use_dora": true}""", "use_dora")]
    [InlineData("""{"r": 4, "lora_alpha": 8, "bias": "all"}""", "bias")]
    [InlineData("""{"r": 4, "lora_alpha": 8, "fan_in_fan_out": true}""", "fan_in_fan_out")]
    [InlineData("""{"r": 4, "lora_alpha": 8, "modules_to_save": ["lm_head"]}""", "modules_to_save")]
    [InlineData("""{"r": 4, "lora_alpha": 8, "lora_bias": true}""", "lora_bias")]
    [InlineData("""{"peft_type": "IA3"}""", "peft_type")]
    public void Unsupported_features_are_refused_naming_the_field(string json, string field)
    {
        var ex = Assert.Throws<UnsupportedAdapterException>(() => LoraConfig.Parse(json, "some/adapter_config.json"));
        Assert.Equal(field, ex.Field);
        Assert.Contains("some/adapter_config.json", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"r": 0, "lora_alpha": 8}""", "r")]
    [InlineData("""{"r": 4, "lora_alpha": -1}""", "lora_alpha")]
    [InlineData("""{"r": "four"}""", "r")]
    [InlineData("""{"r": 4, "target_modules": 5}""", "target_modules")]
    [InlineData("""{"r": 4,""", null)]
    public void Invalid_configs_are_typed_errors_naming_the_field(string json, string? field)
    {
        var ex = Assert.Throws<AdapterFormatException>(() => LoraConfig.Parse(json, "x/adapter_config.json"));
        Assert.Equal("x/adapter_config.json", ex.FilePath);
        if (field is not null)
        {
            Assert.Equal(field, ex.Key);
        }
    }

    [Fact]
    public void Missing_factor_and_rank_mismatch_name_the_tensor_key()
    {
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        File.WriteAllText(dir.File(PeftAdapterFolder.ConfigFileName), """{"r": 4, "lora_alpha": 8, "target_modules": ["q_proj"]}""");
        const string aKey = "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight";
        const string bKey = "base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight";

        SafetensorsWriter.Write(dir.File(PeftAdapterFolder.WeightsFileName), [new(aKey, zeros(4, 8))]);
        var missing = Assert.Throws<AdapterFormatException>(() => PeftAdapterFolder.Load(dir.Path));
        Assert.Equal(aKey, missing.Key);
        Assert.Contains("only lora_A", missing.Message, StringComparison.Ordinal);

        SafetensorsWriter.Write(dir.File(PeftAdapterFolder.WeightsFileName), [new(aKey, zeros(2, 8)), new(bKey, zeros(8, 2))]);
        var rank = Assert.Throws<AdapterFormatException>(() => PeftAdapterFolder.Load(dir.Path));
        Assert.Equal(aKey, rank.Key);
        Assert.Contains("expected rank 4", rank.Message, StringComparison.Ordinal);

        SafetensorsWriter.Write(dir.File(PeftAdapterFolder.WeightsFileName), [new("base_model.model.model.layers.0.self_attn.q_proj.lora_magnitude_vector", zeros(8))]);
        var dora = Assert.Throws<AdapterFormatException>(() => PeftAdapterFolder.Load(dir.Path));
        Assert.Contains("DoRA", dora.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_files_are_reported_with_their_path()
    {
        using var dir = new TempDirectory();
        var ex = Assert.Throws<FileNotFoundException>(() => PeftAdapterFolder.Load(dir.Path));
        Assert.EndsWith(PeftAdapterFolder.ConfigFileName, ex.FileName, StringComparison.Ordinal);
    }

    [Fact]
    public void Save_writes_task_description_and_reloads_it()
    {
        using var dir = new TempDirectory();
        using (var adapter = PeftAdapterFolder.Load(FixturePaths.Get("llama", "lora_qv")))
        {
            var described = new LoraAdapter(adapter.Config, [], "Translate English to French.");
            PeftAdapterFolder.Save(described, dir.Path);
        }

        Assert.Equal("Translate English to French.", File.ReadAllText(dir.File(PeftAdapterFolder.TaskDescriptionFileName)));
        using var reloaded = PeftAdapterFolder.Load(dir.Path);
        Assert.Equal("Translate English to French.", reloaded.TaskDescription);
    }

    private static bool JsonValuesEquivalent(JsonNode? a, JsonNode? b)
    {
        // PEFT writes floats like 0.0 where we may write 0: compare numbers by value, everything else structurally.
        if (a is JsonValue va && b is JsonValue vb && va.TryGetValue<double>(out var da) && vb.TryGetValue<double>(out var db))
        {
            return da == db;
        }

        return JsonNode.DeepEquals(a, b);
    }
}
