using System.Text.Json.Nodes;
using Text2Lora.IO;
using Text2Lora.Lora;
using Text2Lora.Models.Llama;
using Text2Lora.Tests.Infrastructure;
using Text2Lora.Tests.Tokenization;
using Text2Lora.Tests.Training;
using Text2Lora.Tokenization;
using Text2Lora.Training.Configuration;
using Text2Lora.Tasks;
using Xunit;

namespace Text2Lora.Tests.Hardening;

/// <summary>
/// Regression tests for the config escapes of issue 14 (config.json, adapter_config.json, tokenizer files, task
/// folders, trainer configs): each used to escape untyped or allocate without bound.
/// </summary>
[Trait(TestCategory.Key, TestCategory.InputErrors)]
public sealed class MalformedConfigTests
{
    private static JsonObject LlamaConfig() =>
        JsonNode.Parse(File.ReadAllText(FixturePaths.Get("llama", "model", "config.json")))!.AsObject();

    [Fact]
    public void Config_json_with_a_duplicate_key_is_a_model_format_error()
    {
        var text = LlamaConfig().ToJsonString().Insert(1, "\"hidden_size\": 32, ");
        var error = Assert.Throws<ModelFormatException>(() => LlamaFamilyConfig.Parse(text, "config.json"));
        Assert.Equal("config.json", error.FilePath);
    }

    [Fact]
    public void Config_json_with_two_billion_layers_is_refused_by_range()
    {
        var json = LlamaConfig();
        json["num_hidden_layers"] = int.MaxValue;
        var error = Assert.Throws<ModelFormatException>(() => LlamaFamilyConfig.Parse(json.ToJsonString(), "config.json"));
        Assert.Equal("num_hidden_layers", error.Field);
    }

    [Theory]
    [InlineData("rope_theta", 1e300)]   // fuzz reproducer (config-json, seed 7, case 179): float overflow in the rotary table
    [InlineData("rope_theta", -10000.0)]
    [InlineData("rms_norm_eps", -1e-6)]
    public void Config_json_with_an_out_of_range_number_is_refused(string field, double value)
    {
        var json = LlamaConfig();
        json[field] = value;
        var error = Assert.Throws<ModelFormatException>(() => LlamaFamilyConfig.Parse(json.ToJsonString(), "config.json"));
        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void Config_json_with_a_negative_context_is_refused()
    {
        var json = LlamaConfig();
        json["max_position_embeddings"] = -1;
        var error = Assert.Throws<ModelFormatException>(() => LlamaFamilyConfig.Parse(json.ToJsonString(), "config.json"));
        Assert.Equal("max_position_embeddings", error.Field);
    }

    [Fact]
    public void Model_whose_vocabulary_times_width_exceeds_memory_is_refused_before_allocating()
    {
        // 2^31-1 tokens x 65,536 wide = 5.6e14 bytes in float32: beyond any machine's memory, so beyond the default limit.
        using var directory = new TempDirectory();
        var json = LlamaConfig();
        json["vocab_size"] = int.MaxValue;
        json["hidden_size"] = 65536;
        json["head_dim"] = 16384;
        File.WriteAllText(directory.File("config.json"), json.ToJsonString());

        var error = Assert.Throws<InputTooLargeException>(() => LlamaFamilyModel.Load(directory.Path));
        Assert.Equal("vocab_size", error.Field);
        Assert.Equal(directory.File("config.json"), error.FilePath);
    }

    [Fact]
    public void Estimated_bytes_match_the_parameter_count_of_the_fixture()
    {
        // The estimate is the analytic parameter count (plus the float32 rotary tables); the meta-device count is independent.
        var config = LlamaFamilyConfig.Load(FixturePaths.Get("llama", "model"));
        var rotary = 2.0 * config.MaxPositionEmbeddings * config.HeadDim * sizeof(float);
        Assert.Equal(LlamaFamilyModel.CountParameters(config) * 4.0, config.EstimateBytes(4) - rotary);
    }

    [Theory]
    [InlineData("""{"r": 4, "lora_alpha": 8, "target_modules": ["q_proj"], "alpha_pattern": {"q_proj": -1}}""", "alpha_pattern.q_proj")]
    [InlineData("""{"r": 4, "lora_alpha": 8, "target_modules": ["q_proj"], "alpha_pattern": {"q_proj": 0}}""", "alpha_pattern.q_proj")]
    [InlineData("""{"r": 4, "lora_alpha": 8, "target_modules": ["q_proj"], "rank_pattern": {"q_proj": 0}}""", "rank_pattern.q_proj")]
    [InlineData("""{"r": 4, "lora_alpha": 8, "target_modules": ["q_proj"], "rank_pattern": {"q_proj(": 2}}""", "rank_pattern.q_proj(")]
    [InlineData("""{"r": 4, "lora_alpha": 8, "target_modules": ["q_proj"], "alpha_pattern": {"[v": 2}}""", "alpha_pattern.[v")]
    [InlineData("""{"r": 4, "lora_alpha": 8, "target_modules": "(q|v"}""", "target_modules")]
    [InlineData("""{"r": 4, "lora_alpha": 8, "target_modules": ["q_proj"], "layers_to_transform": [-1]}""", "layers_to_transform")]
    public void Adapter_config_bad_patterns_name_the_field(string json, string field)
    {
        var error = Assert.Throws<AdapterFormatException>(() => LoraConfig.Parse(json, "adapter_config.json"));
        Assert.Equal(field, error.Field);
        Assert.Equal("adapter_config.json", error.FilePath);
    }

    [Fact]
    public void Adapter_config_null_maps_mean_no_overrides()
    {
        var config = LoraConfig.Parse("""{"r": 4, "lora_alpha": 8, "target_modules": ["q_proj"], "rank_pattern": null, "alpha_pattern": null}""");
        Assert.Equal(2.0, config.ScalingFor("model.layers.0.self_attn.q_proj"));
    }

    [Fact]
    public void Adapter_config_duplicate_key_is_a_format_error()
    {
        Assert.Throws<AdapterFormatException>(() => LoraConfig.Parse("""{"r": 4, "r": 400, "target_modules": ["q_proj"]}"""));
    }

    [Fact]
    public void Tokenizer_json_with_a_wrong_json_type_is_a_tokenizer_error()
    {
        using var folder = new TempDirectory();
        MiniByteLevelTokenizers.WriteQwen2(folder.Path);
        var json = JsonNode.Parse(File.ReadAllText(folder.File("tokenizer.json")))!.AsObject();
        json["model"]!["type"] = 7;
        File.WriteAllText(folder.File("tokenizer.json"), json.ToJsonString());

        var error = Assert.Throws<TokenizerFormatException>(() => TokenizerLoader.Load(folder.Path));
        Assert.Equal(folder.File("tokenizer.json"), error.FilePath);
    }

    [Fact]
    public void Tokenizer_whose_eos_id_lies_outside_the_vocabulary_is_refused()
    {
        using var folder = new TempDirectory();
        MiniByteLevelTokenizers.WriteQwen2(folder.Path);
        File.WriteAllText(folder.File("generation_config.json"), """{"eos_token_id": [1000000]}""");

        var error = Assert.Throws<TokenizerFormatException>(() => TokenizerLoader.Load(folder.Path));
        Assert.Contains("eos_token_id 1000000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Tokenizer_json_with_a_negative_vocabulary_id_is_refused()
    {
        using var folder = new TempDirectory();
        MiniByteLevelTokenizers.WriteQwen2(folder.Path);
        var json = JsonNode.Parse(File.ReadAllText(folder.File("tokenizer.json")))!.AsObject();
        var vocab = json["model"]!["vocab"]!.AsObject();
        vocab[vocab.First().Key] = -3;
        File.WriteAllText(folder.File("tokenizer.json"), json.ToJsonString());

        Assert.Throws<TokenizerFormatException>(() => TokenizerLoader.Load(folder.Path));
    }

    [Fact]
    public void Task_metadata_with_a_duplicate_key_is_a_task_data_error()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(folder.File("metadata.yaml"), "descriptions:\n  - one\ndescriptions:\n  - two\n");

        var error = Assert.Throws<TaskDataFormatException>(() => TaskFolderReader.ReadMetadata(folder.File("metadata.yaml")));
        Assert.Equal(folder.File("metadata.yaml"), error.FilePath);
    }

    [Fact]
    public void Task_metadata_with_an_unclosed_flow_mapping_inside_a_list_is_a_task_data_error()
    {
        // Fuzzing reproducer (task-folder, seed 13, case 4617, reduced): YamlDotNet's node model threw a bare
        // InvalidOperationException ("Operation is not valid due to the current state of the object") here.
        using var folder = new TempDirectory();
        File.WriteAllText(folder.File("metadata.yaml"), "name: add_one\ndescriptions:\n- Add one to the number.\n{a: -1\n- Plus one.\n");

        var error = Assert.Throws<TaskDataFormatException>(() => TaskFolderReader.ReadMetadata(folder.File("metadata.yaml")));
        Assert.Equal(folder.File("metadata.yaml"), error.FilePath);
        Assert.Contains("corrupt YAML", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"dataDirectory": "d", "loop": null}""", "loop")]
    [InlineData("""{"dataDirectory": null, "loop": {"outputDirectory": "o"}}""", "dataDirectory")]
    [InlineData("""{"dataDirectory": "d", "dataDirectory": "e", "loop": {"outputDirectory": "o"}}""", null)]
    [InlineData("""{"dataDirectory": "d", "loop": [1, 2]}""", "loop")]
    public void Trainer_config_with_nulls_wrong_types_or_duplicates_names_the_field(string json, string? field)
    {
        using var directory = new TempDirectory();
        var path = directory.File("c.json");
        File.WriteAllText(path, json);

        var error = Assert.Throws<TrainerConfigException>(() => TrainerConfigFile.Load<TrainerConfigFileTests.SampleTrainerOptions>(path));
        Assert.Equal(path, error.FilePath);
        if (field is not null)
        {
            Assert.Equal(field, error.Field);
        }
    }

    [Fact]
    public void A_gte_vocab_txt_longer_than_vocab_size_is_a_tokenizer_format_error()
    {
        // vocab_size 384 and 359 entries in the fixture: 30 more lines would give ids 384..388 past the embedding table.
        using var directory = new TempDirectory();
        foreach (var file in Directory.GetFiles(FixturePaths.Get("gte", "model")))
        {
            File.Copy(file, directory.File(Path.GetFileName(file)));
        }

        File.AppendAllLines(directory.File("vocab.txt"), Enumerable.Range(0, 30).Select(i => $"extra{i}"));

        var error = Assert.Throws<TokenizerFormatException>(() => Text2Lora.Encoders.GteTaskEncoder.Load(directory.Path));
        Assert.Equal(directory.File("vocab.txt"), error.FilePath);
        Assert.Contains("389 entries", error.Message, StringComparison.Ordinal);
        Assert.Contains("384 rows", error.Message, StringComparison.Ordinal);
    }
}
