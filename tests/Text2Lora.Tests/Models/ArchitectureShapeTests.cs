using Text2Lora.Models.Llama;
using Text2Lora.Tests.Infrastructure;

namespace Text2Lora.Tests.Models;

/// <summary>
/// Every state-dict key and shape of the real 7B/8B/2B architectures, built on the meta device (no weights),
/// against the published parameter counts and hand-derived shapes.
/// </summary>
[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class ArchitectureShapeTests
{
    private static LlamaFamilyConfig Config(string name) =>
        LlamaFamilyConfig.Load(Path.Combine(AppContext.BaseDirectory, "Models", "Configs", name + ".json"));

    [Theory]
    [InlineData("llama-3.1-8b-instruct", 8_030_261_248L, 291)]
    [InlineData("mistral-7b-instruct-v0.2", 7_241_732_096L, 291)]
    [InlineData("gemma-2-2b-it", 2_614_341_888L, 288)]
    [InlineData("qwen2.5-7b-instruct", 7_615_616_512L, 339)]
    public void Parameter_count_and_key_count_match_the_published_model(string name, long parameters, int keys)
    {
        using var model = LlamaFamilyModel.CreateOnMeta(Config(name), TorchSharp.torch.ScalarType.BFloat16);
        var shapes = model.ParameterShapes().ToList();
        Assert.Equal(keys, shapes.Count);
        Assert.Equal(parameters, shapes.Sum(s => s.Shape.Aggregate(1L, (a, b) => a * b)));
        Assert.Equal(shapes.Count, shapes.Select(s => s.Key).Distinct().Count());
    }

    [Fact]
    public void Llama_3_1_8b_layer_shapes()
    {
        using var model = LlamaFamilyModel.CreateOnMeta(Config("llama-3.1-8b-instruct"));
        var shapes = model.ParameterShapes().ToDictionary(s => s.Key, s => s.Shape);
        Assert.Equal([128256L, 4096], shapes["model.embed_tokens.weight"]);
        Assert.Equal([4096L, 4096], shapes["model.layers.31.self_attn.q_proj.weight"]);
        Assert.Equal([1024L, 4096], shapes["model.layers.31.self_attn.k_proj.weight"]);
        Assert.Equal([1024L, 4096], shapes["model.layers.0.self_attn.v_proj.weight"]);
        Assert.Equal([4096L, 4096], shapes["model.layers.0.self_attn.o_proj.weight"]);
        Assert.Equal([14336L, 4096], shapes["model.layers.0.mlp.gate_proj.weight"]);
        Assert.Equal([14336L, 4096], shapes["model.layers.0.mlp.up_proj.weight"]);
        Assert.Equal([4096L, 14336], shapes["model.layers.0.mlp.down_proj.weight"]);
        Assert.Equal([4096L], shapes["model.layers.0.input_layernorm.weight"]);
        Assert.Equal([4096L], shapes["model.layers.0.post_attention_layernorm.weight"]);
        Assert.Equal([4096L], shapes["model.norm.weight"]);
        Assert.Equal([128256L, 4096], shapes["lm_head.weight"]);
        Assert.DoesNotContain("model.layers.0.self_attn.q_proj.bias", shapes.Keys);
    }

    [Fact]
    public void Gemma_2_2b_has_sandwich_norms_and_a_tied_head()
    {
        using var model = LlamaFamilyModel.CreateOnMeta(Config("gemma-2-2b-it"));
        var shapes = model.ParameterShapes().ToDictionary(s => s.Key, s => s.Shape);
        Assert.Equal([2048L, 2304], shapes["model.layers.25.self_attn.q_proj.weight"]);
        Assert.Equal([1024L, 2304], shapes["model.layers.25.self_attn.k_proj.weight"]);
        Assert.Equal([2304L, 2048], shapes["model.layers.25.self_attn.o_proj.weight"]);
        Assert.Equal([2304L], shapes["model.layers.0.pre_feedforward_layernorm.weight"]);
        Assert.Equal([2304L], shapes["model.layers.0.post_feedforward_layernorm.weight"]);
        Assert.DoesNotContain("lm_head.weight", shapes.Keys);
    }

    [Fact]
    public void Qwen2_5_7b_has_qkv_bias_but_no_output_bias()
    {
        using var model = LlamaFamilyModel.CreateOnMeta(Config("qwen2.5-7b-instruct"));
        var shapes = model.ParameterShapes().ToDictionary(s => s.Key, s => s.Shape);
        Assert.Equal([3584L], shapes["model.layers.0.self_attn.q_proj.bias"]);
        Assert.Equal([512L], shapes["model.layers.0.self_attn.k_proj.bias"]);
        Assert.Equal([512L], shapes["model.layers.0.self_attn.v_proj.bias"]);
        Assert.DoesNotContain("model.layers.0.self_attn.o_proj.bias", shapes.Keys);
        Assert.Equal([152064L, 3584], shapes["lm_head.weight"]);
    }

    [Fact]
    public void Config_options_follow_transformers_semantics()
    {
        var gemma = Config("gemma-2-2b-it");
        Assert.Equal(1.0 / 16, gemma.AttentionScale);
        Assert.Equal(50.0, gemma.AttentionLogitSoftcapping);
        Assert.Equal(30.0, gemma.FinalLogitSoftcapping);
        Assert.Equal(HiddenActivation.GeluTanh, gemma.HiddenActivation);
        Assert.True(gemma.TieWordEmbeddings && gemma.NormWeightPlusOne && gemma.ScaleEmbeddings && gemma.SandwichNorms);
        Assert.True(gemma.UsesSlidingWindow(0));
        Assert.False(gemma.UsesSlidingWindow(1));
        Assert.True(gemma.UsesSlidingWindow(24));
        Assert.Equal([1, 107], gemma.EosTokenIds);

        var llama = Config("llama-3.1-8b-instruct");
        Assert.Equal(new RopeScaling("llama3", 8, 1, 4, 8192), llama.RopeScaling);
        Assert.Equal([128001, 128008, 128009], llama.EosTokenIds);
        Assert.Equal(1.0 / Math.Sqrt(128), llama.AttentionScale);

        var mistral = Config("mistral-7b-instruct-v0.2");
        Assert.Null(mistral.SlidingWindow);
        Assert.Equal(128, mistral.HeadDim);

        var qwen = Config("qwen2.5-7b-instruct");
        Assert.True(qwen.QkvBias);
        Assert.False(qwen.OutputBias);
        Assert.Null(qwen.SlidingWindow);   // use_sliding_window: false
    }

    [Fact]
    public void Lora_targets_come_from_the_config_alone()
    {
        var targets = Config("llama-3.1-8b-instruct").LoraTargets();
        Assert.Equal(32, targets.LayerCount);
        Assert.Equal(["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"], targets.Modules.Select(m => m.Name));
        Assert.Equal((4096, 1024), (targets.Get("k_proj").InFeatures, targets.Get("k_proj").OutFeatures));
        Assert.Equal((14336, 4096), (targets.Get("down_proj").InFeatures, targets.Get("down_proj").OutFeatures));
        Assert.Equal("model.layers.7.mlp.up_proj", targets.Get("up_proj").PathForLayer(7));

        var fixture = LlamaFamilyConfig.Load(FixturePaths.Get("llama", "model")).LoraTargets();
        Assert.Equal((64, 32), (fixture.Get("v_proj").InFeatures, fixture.Get("v_proj").OutFeatures));
    }
}
