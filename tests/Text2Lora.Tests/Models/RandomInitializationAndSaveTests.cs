using System.Text.Json.Nodes;
using Text2Lora.Abstractions;
using Text2Lora.Models.Llama;
using Text2Lora.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace Text2Lora.Tests.Models;

/// <summary>Creating a model from scratch (HF initialisation), training all its weights, and saving it as an HF folder.</summary>
[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class RandomInitializationAndSaveTests
{
    private static LlamaFamilyConfig TinyConfig(bool tied = true) => new()
    {
        ModelType = "llama",
        VocabSize = 96,
        HiddenSize = 32,
        IntermediateSize = 48,
        NumHiddenLayers = 2,
        NumAttentionHeads = 4,
        NumKeyValueHeads = 2,
        HeadDim = 8,
        MaxPositionEmbeddings = 64,
        RmsNormEps = 1e-5,
        TieWordEmbeddings = tied,
        AttentionScale = 1.0 / Math.Sqrt(8),
        BosTokenId = 1,
        EosTokenIds = [2],
        PadTokenId = 0,
    };

    [Fact]
    public void Initialisation_follows_hf_and_is_fixed_by_the_seed()
    {
        var config = TinyConfig() with { HiddenSize = 256, NumAttentionHeads = 4, NumKeyValueHeads = 4, HeadDim = 64, IntermediateSize = 512, VocabSize = 512 };
        using var a = LlamaFamilyModel.CreateRandom(config, seed: 7, initializerRange: 0.02);
        using var b = LlamaFamilyModel.CreateRandom(config, seed: 7, initializerRange: 0.02);
        using var c = LlamaFamilyModel.CreateRandom(config, seed: 8, initializerRange: 0.02);

        foreach (var (key, _) in a.ParameterShapes())
        {
            Assert.True(a.NamedParameter(key).eq(b.NamedParameter(key)).all().item<bool>(), key);
        }

        var q = a.NamedParameter("model.layers.1.self_attn.q_proj.weight");
        Assert.False(q.eq(c.NamedParameter("model.layers.1.self_attn.q_proj.weight")).all().item<bool>());
        Assert.Equal(0.0, q.mean().item<float>(), 0.001);
        Assert.Equal(0.02, q.std().item<float>(), 0.0005);

        var embedding = a.NamedParameter("model.embed_tokens.weight");
        Assert.Equal(0.02, embedding.narrow(0, 1, 511).std().item<float>(), 0.0005);
        Assert.Equal(0.0, embedding[0].abs().sum().item<float>()); // padding row, as nn.Embedding(padding_idx) after HF init
        Assert.True(a.NamedParameter("model.layers.0.input_layernorm.weight").eq(1).all().item<bool>());
        Assert.True(a.NamedParameter("model.norm.weight").eq(1).all().item<bool>());
        Assert.All(a.WeightsModule.parameters(), p => Assert.False(p.requires_grad));
    }

    [Fact]
    public void Gemma_norms_start_at_zero_because_they_scale_by_one_plus_w()
    {
        var config = LlamaFamilyConfig.Load(Path.Combine(AppContext.BaseDirectory, "Models", "Configs", "gemma-2-2b-it.json")) with
        {
            VocabSize = 64, HiddenSize = 16, IntermediateSize = 32, NumHiddenLayers = 2, NumAttentionHeads = 2, NumKeyValueHeads = 1, HeadDim = 8,
        };
        using var model = LlamaFamilyModel.CreateRandom(config, seed: 1);

        Assert.True(model.NamedParameter("model.layers.0.pre_feedforward_layernorm.weight").eq(0).all().item<bool>());
        Assert.True(model.NamedParameter("model.norm.weight").eq(0).all().item<bool>());
    }

    [Fact]
    public void Trainable_weights_receive_gradients_from_the_lm_loss_and_can_be_frozen_again()
    {
        using var model = LlamaFamilyModel.CreateRandom(TinyConfig(), seed: 3);
        model.SetWeightsTrainable(true);
        using var ids = tensor(new long[] { 1, 5, 9, 17, 33, 2, 1, 40, 41, 42, 43, 2 }, [2, 6]);
        using var output = model.Forward(new ModelForwardInput(ids) { Labels = ids, ComputeLogits = false });
        output.Loss!.backward();

        var parameters = model.WeightsModule.named_parameters().ToList();
        Assert.Equal(model.ParameterShapes().Count(), parameters.Count);
        Assert.All(parameters, p =>
        {
            Assert.True(p.parameter.grad is not null, p.name);
            Assert.True(p.parameter.grad!.abs().sum().item<float>() > 0, p.name);
        });

        model.SetWeightsTrainable(false);
        Assert.All(model.WeightsModule.parameters(), p => Assert.False(p.requires_grad));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Saved_folder_loads_back_with_identical_logits(bool tied)
    {
        using var folder = new TempDirectory();
        using var model = LlamaFamilyModel.CreateRandom(TinyConfig(tied), seed: 11);
        model.SetWeightsTrainable(true); // saving must not depend on the weights being frozen
        model.Save(folder.Path);

        Assert.Equal(["config.json", "generation_config.json", "model.safetensors"],
            Directory.GetFiles(folder.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        using var loaded = LlamaFamilyModel.Load(folder.Path);
        using var ids = tensor(new long[] { 1, 5, 9, 17, 33, 60, 1, 40, 41, 42, 43, 95 }, [2, 6]);
        using var expected = model.Forward(new ModelForwardInput(ids));
        using var actual = loaded.Forward(new ModelForwardInput(ids));

        Assert.True(expected.Logits!.eq(actual.Logits!).all().item<bool>());
        Assert.Equal(tied, !loaded.ParameterShapes().Any(p => p.Key == "lm_head.weight"));
        var generation = JsonNode.Parse(File.ReadAllText(Path.Combine(folder.Path, "generation_config.json")))!;
        Assert.Equal(1, (int)generation["bos_token_id"]!);
        Assert.Equal(2, (int)generation["eos_token_id"]!);
        Assert.Equal(0, (int)generation["pad_token_id"]!);
    }

    [Fact]
    public void Saved_config_json_parses_back_to_an_equal_config()
    {
        using var folder = new TempDirectory();
        var config = TinyConfig(tied: false) with { EosTokenIds = [2, 7], RopeTheta = 5e5, RmsNormEps = 1e-6 };
        using var model = LlamaFamilyModel.CreateRandom(config, seed: 1);
        model.Save(folder.Path, initializerRange: 0.05);

        var parsed = LlamaFamilyConfig.Load(folder.Path);
        AssertEqualConfigs(config, parsed);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(folder.Path, "config.json")))!;
        Assert.Equal("LlamaForCausalLM", (string)json["architectures"]![0]!);
        Assert.Equal("float32", (string)json["torch_dtype"]!);
        Assert.Equal(0.05, (double)json["initializer_range"]!);
    }

    [Theory]
    [InlineData("llama-3.1-8b-instruct.json")]
    [InlineData("mistral-7b-instruct-v0.2.json")]
    [InlineData("qwen2.5-7b-instruct.json")]
    [InlineData("gemma-2-2b-it.json")]
    public void Every_family_config_round_trips_through_config_json(string file)
    {
        var config = LlamaFamilyConfig.Load(Path.Combine(AppContext.BaseDirectory, "Models", "Configs", file));
        AssertEqualConfigs(config, LlamaFamilyConfig.Parse(config.ToConfigJson("bfloat16")));
    }

    [Fact]
    public void Qwen2_sliding_window_layers_round_trip()
    {
        var config = LlamaFamilyConfig.Parse("""
            {"model_type":"qwen2","vocab_size":64,"hidden_size":16,"intermediate_size":32,"num_hidden_layers":4,"num_attention_heads":2,
             "use_sliding_window":true,"sliding_window":8,"max_window_layers":2}
            """);
        var parsed = LlamaFamilyConfig.Parse(config.ToConfigJson());

        Assert.Equal([false, false, true, true], parsed.SlidingWindowLayers);
        AssertEqualConfigs(config, parsed);
    }

    [Fact]
    public void A_llama_config_with_qkv_bias_but_no_output_bias_cannot_be_written()
    {
        var config = TinyConfig() with { QkvBias = true, OutputBias = false };

        var error = Assert.Throws<ArgumentException>(() => config.ToConfigJson());
        Assert.Contains("attention_bias", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Record equality compares lists by reference, so the two list-valued fields are compared by content.</summary>
    private static void AssertEqualConfigs(LlamaFamilyConfig expected, LlamaFamilyConfig actual)
    {
        Assert.Equal(expected.EosTokenIds, actual.EosTokenIds);
        Assert.Equal(expected.SlidingWindowLayers, actual.SlidingWindowLayers);
        Assert.Equal(expected, actual with { EosTokenIds = expected.EosTokenIds, SlidingWindowLayers = expected.SlidingWindowLayers });
    }
}
