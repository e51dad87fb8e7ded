using Text2Lora.Encoders;
using Text2Lora.IO.Safetensors;
using Text2Lora.Models.Gte;
using Text2Lora.Tests.Hypernetworks;
using Text2Lora.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace Text2Lora.Tests.Models.Gte;

/// <summary>
/// A gte variant built here (other sizes, plain or NTK RoPE, inputs longer than the RoPE cache), the <c>new.</c> key
/// prefix, and the native-memory discipline of repeated embedding.
/// </summary>
[Trait(TestCategory.Key, TestCategory.Behaviour)]
[Collection(nameof(NativeMemoryCollection))]
public sealed class GteVariantTests
{
    // Padding invariance is exact up to float rounding: masked keys get exp(finfo.min − max) = 0 exactly, so only the
    // summation order of the batched matmuls differs (observed ~1e-6 in the reference: "batch vs single ≤ 1e-6").
    private const double PaddingTolerance = 1e-5;

    private static GteConfig Variant(bool ntk) => GteConfig.Parse(
        $$"""
        {"model_type": "new", "vocab_size": 200, "hidden_size": 48, "num_attention_heads": 3, "num_hidden_layers": 3,
         "intermediate_size": 80, "max_position_embeddings": 16, "type_vocab_size": 1, "rope_theta": 10000,
         "rope_scaling": {{(ntk ? "{\"type\": \"ntk\", \"factor\": 3.0}" : "null")}}, "layer_norm_eps": 1e-12, "hidden_act": "gelu"}
        """, "variant/config.json");

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_padded_row_equals_the_same_row_alone_also_beyond_the_rope_cache(bool ntk)
    {
        var config = Variant(ntk);
        using var model = GteModel.CreateRandom(config, seed: 7, initializerRange: 0.2);
        using var generator = new Generator(11);

        // 70 tokens: longer than max_position_embeddings (16) and than 16 × factor 3, so the tables are extended.
        const int Long = 70;
        using var ids = randint(1, config.VocabSize, [3, Long], generator: generator);
        var lengths = new[] { Long, 9, 41 };
        using var mask = zeros([3, Long], ScalarType.Int64);
        for (var row = 0; row < 3; row++)
        {
            mask[row].narrow(0, 0, lengths[row]).fill_(1);
            ids[row].narrow(0, lengths[row], Long - lengths[row]).fill_(0);
        }

        using var batched = model.Forward(ids, mask, outputHiddenStates: true);
        Assert.Equal([3L, Long, 48L], batched.LastHiddenState.shape);
        Assert.Equal(config.NumHiddenLayers + 1, batched.HiddenStates!.Count);
        Assert.Same(batched.LastHiddenState, batched.HiddenStates[^1]);
        for (var row = 0; row < 3; row++)
        {
            using var alone = model.Forward(ids[row].narrow(0, 0, lengths[row]).unsqueeze(0));
            using var padded = batched.LastHiddenState[row].narrow(0, 0, lengths[row]);
            TensorAssert.Close(alone.LastHiddenState[0], padded, PaddingTolerance);
        }
    }

    [Fact]
    public void Rope_positions_matter_so_the_padding_test_can_fail()
    {
        // Guard for the test above: with RoPE, reversing a description's tokens (bag of words unchanged) must change the
        // CLS output; if attention ignored positions, padding invariance would hold trivially for the wrong reason.
        var config = Variant(ntk: true);
        using var model = GteModel.CreateRandom(config, seed: 7, initializerRange: 0.2);
        using var ids = tensor(new long[] { 5, 17, 33, 101, 150, 42, 9, 77 }, [1, 8]);
        using var reversed = ids.narrow(1, 1, 7).flip(1);
        using var shuffled = cat([ids.narrow(1, 0, 1), reversed], 1);
        using var a = model.Forward(ids);
        using var b = model.Forward(shuffled);
        using var difference = a.LastHiddenState[0, 0].sub(b.LastHiddenState[0, 0]).abs().max();
        Assert.True(difference.item<float>() > 1e-3);
    }

    [Fact]
    public void The_new_prefix_of_task_head_variants_is_accepted_and_the_head_ignored()
    {
        using var directory = new TempDirectory();
        File.Copy(FixturePaths.Get("gte", "model", "config.json"), directory.File("config.json"));
        foreach (var file in new[] { "vocab.txt", "tokenizer_config.json", "special_tokens_map.json" })
        {
            File.Copy(FixturePaths.Get("gte", "model", file), directory.File(file));
        }

        using (var source = SafetensorsFile.Open(FixturePaths.Get("gte", "model", "model.safetensors")))
        {
            var tensors = source.ReadAll();
            var renamed = tensors.Select(kv => KeyValuePair.Create("new." + kv.Key, kv.Value)).ToList();
            using var head = randn(2, 64);
            renamed.Add(KeyValuePair.Create("classifier.weight", head));
            SafetensorsWriter.Write(directory.File("model.safetensors"), renamed);
            foreach (var tensor in tensors.Values)
            {
                tensor.Dispose();
            }
        }

        using var prefixed = GteTaskEncoder.Load(directory.Path);
        using var plain = GteTaskEncoder.Load(FixturePaths.Get("gte", "model"));
        using var a = prefixed.Encode(["Solve the math problem."]);
        using var b = plain.Encode(["Solve the math problem."]);
        TensorAssert.BitEqual(b, a);
    }

    [Fact]
    public void Descriptions_that_exceed_the_maximum_are_truncated_keeping_sep()
    {
        using var encoder = GteTaskEncoder.Load(FixturePaths.Get("gte", "model"));
        var text = string.Join(' ', Enumerable.Repeat("solve the math problem", 3000));
        var ids = encoder.Tokenize(text);
        Assert.Equal(encoder.MaxTokens, ids.Count);
        Assert.Equal(102, ids[^1]);
    }

    [Fact]
    public void Blank_descriptions_are_refused()
    {
        using var encoder = GteTaskEncoder.Load(FixturePaths.Get("gte", "model"));
        Assert.Throws<ArgumentException>(() => encoder.Encode(["ok.", "  \n"]));
    }

    [Fact]
    public void Repeated_embedding_leaves_no_live_tensors()
    {
        using var encoder = GteTaskEncoder.Load(FixturePaths.Get("gte", "model"));
        string[] texts = ["Solve the math problem.", "Translate the english text to french, then summarize it.", "Classify the sentiment."];
        for (var i = 0; i < 5; i++)
        {
            encoder.Encode(texts).Dispose();
        }

        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (var i = 0; i < 100; i++)
        {
            using var embedding = encoder.Encode(texts);
            Assert.Equal([3L, 64L], embedding.shape);
        }

        // Exact: TorchSharp counts every tensor handle this thread created and has not disposed.
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void The_module_tree_has_the_reference_state_dict_keys_for_gte_large_shapes()
    {
        var config = GteConfig.Parse(
            """{"vocab_size": 30528, "hidden_size": 1024, "num_attention_heads": 16, "num_hidden_layers": 24, "intermediate_size": 4096, "type_vocab_size": 2, "max_position_embeddings": 8192, "rope_theta": 160000, "rope_scaling": {"type": "ntk", "factor": 2.0}}""",
            "gte-large/config.json");
        using var model = GteModel.CreateOnMeta(config);
        var shapes = model.ParameterShapes().ToDictionary(p => p.Key, p => p.Shape);
        Assert.Equal(4 + (11 * 24), shapes.Count);
        Assert.Equal([30528L, 1024L], shapes["embeddings.word_embeddings.weight"]);
        Assert.Equal([2L, 1024L], shapes["embeddings.token_type_embeddings.weight"]);
        Assert.Equal([1024L], shapes["embeddings.LayerNorm.bias"]);
        Assert.Equal([3072L, 1024L], shapes["encoder.layer.23.attention.qkv_proj.weight"]);
        Assert.Equal([1024L, 1024L], shapes["encoder.layer.0.attention.o_proj.weight"]);
        Assert.Equal([8192L, 1024L], shapes["encoder.layer.5.mlp.up_gate_proj.weight"]);
        Assert.False(shapes.ContainsKey("encoder.layer.5.mlp.up_gate_proj.bias"));
        Assert.Equal([1024L, 4096L], shapes["encoder.layer.5.mlp.down_proj.weight"]);
        Assert.Equal([1024L], shapes["encoder.layer.7.attn_ln.weight"]);
        Assert.Equal([1024L], shapes["encoder.layer.7.mlp_ln.bias"]);

        // ≈ 434 M parameters (issue 11).
        var parameters = shapes.Values.Sum(s => s.Aggregate(1L, (a, b) => a * b));
        Assert.InRange(parameters, 433_000_000, 435_000_000);
    }
}
