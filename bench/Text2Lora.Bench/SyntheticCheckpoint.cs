using System.Globalization;
using System.Text.Json;
using Text2Lora.IO;
using Text2Lora.IO.Safetensors;
using static TorchSharp.torch;

namespace Text2Lora.Bench;

/// <summary>
/// Writes a random-weight Llama checkpoint folder (config.json + model.safetensors, or shards with
/// model.safetensors.index.json as transformers writes them) for benchmarking. Tensors are drawn and written one at
/// a time, so a checkpoint larger than memory can be written.
/// </summary>
internal static class SyntheticCheckpoint
{
    /// <param name="shardBytes">Largest shard size; a checkpoint bigger than this is sharded (transformers' default is 5 GB).</param>
    public static string Write(int layers, int hidden, int heads, int kvHeads, int intermediate, int vocab, bool tied, ScalarType dtype, long seed = 0, long shardBytes = long.MaxValue)
    {
        var dir = Path.Combine(Path.GetTempPath(), "t2l-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var config = string.Create(CultureInfo.InvariantCulture, $$"""
            {"model_type": "llama", "architectures": ["LlamaForCausalLM"], "vocab_size": {{vocab}}, "hidden_size": {{hidden}},
             "intermediate_size": {{intermediate}}, "num_hidden_layers": {{layers}}, "num_attention_heads": {{heads}},
             "num_key_value_heads": {{kvHeads}}, "max_position_embeddings": 2048, "rms_norm_eps": 1e-5, "rope_theta": 10000.0,
             "hidden_act": "silu", "tie_word_embeddings": {{(tied ? "true" : "false")}}, "bos_token_id": 1, "eos_token_id": 2,
             "torch_dtype": "{{Text2Lora.Models.ModelDType.NameOf(dtype)}}"}
            """);
        File.WriteAllText(Path.Combine(dir, "config.json"), config);

        var headDim = hidden / heads;
        var layout = new List<SafetensorsTensorLayout>();
        void Add(string key, params long[] shape) => layout.Add(new SafetensorsTensorLayout(key, dtype, shape));

        Add("model.embed_tokens.weight", vocab, hidden);
        for (var i = 0; i < layers; i++)
        {
            var p = $"model.layers.{i}.";
            Add(p + "input_layernorm.weight", hidden);
            Add(p + "post_attention_layernorm.weight", hidden);
            Add(p + "self_attn.q_proj.weight", heads * headDim, hidden);
            Add(p + "self_attn.k_proj.weight", kvHeads * headDim, hidden);
            Add(p + "self_attn.v_proj.weight", kvHeads * headDim, hidden);
            Add(p + "self_attn.o_proj.weight", hidden, heads * headDim);
            Add(p + "mlp.gate_proj.weight", intermediate, hidden);
            Add(p + "mlp.up_proj.weight", intermediate, hidden);
            Add(p + "mlp.down_proj.weight", hidden, intermediate);
        }

        Add("model.norm.weight", hidden);
        if (!tied)
        {
            Add("lm_head.weight", vocab, hidden);
        }

        // Norms are ones, matrices normal(0, 0.02) (HF's initializer_range), drawn from one seeded generator.
        using var generator = new TorchSharp.torch.Generator((ulong)seed);
        Tensor Produce(string name)
        {
            var shape = layout.First(l => l.Name == name).Shape;
            using var scope = NewDisposeScope();
            var tensor = shape.Length == 1 ? ones(shape, dtype) : randn(shape, generator: generator).mul_(0.02).to_type(dtype);
            return tensor.MoveToOuterDisposeScope();
        }

        var shards = Shards(layout, shardBytes);
        if (shards.Count == 1)
        {
            SafetensorsWriter.Write(Path.Combine(dir, SafetensorsCheckpoint.SingleFileName), layout, Produce, new Dictionary<string, string> { ["format"] = "pt" });
            return dir;
        }

        var weightMap = new SortedDictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < shards.Count; i++)
        {
            var file = string.Create(CultureInfo.InvariantCulture, $"model-{i + 1:D5}-of-{shards.Count:D5}.safetensors");
            SafetensorsWriter.Write(Path.Combine(dir, file), shards[i], Produce, new Dictionary<string, string> { ["format"] = "pt" });
            shards[i].ForEach(t => weightMap[t.Name] = file);
        }

        var index = new { metadata = new { total_size = layout.Sum(t => t.ByteLength) }, weight_map = weightMap };
        AtomicFile.WriteAllText(Path.Combine(dir, SafetensorsCheckpoint.IndexFileName), JsonSerializer.Serialize(index));
        return dir;
    }

    /// <summary>Weight bytes of the checkpoint in <paramref name="directory"/> (sum over its safetensors headers).</summary>
    public static long WeightBytes(string directory)
    {
        using var checkpoint = SafetensorsCheckpoint.Open(directory);
        return checkpoint.Keys.Sum(key => checkpoint.GetInfo(key).ByteLength);
    }

    /// <summary>Parameters of the checkpoint in <paramref name="directory"/>.</summary>
    public static long Parameters(string directory)
    {
        using var checkpoint = SafetensorsCheckpoint.Open(directory);
        return checkpoint.Keys.Sum(key => checkpoint.GetInfo(key).Shape.Aggregate(1L, (a, b) => a * b));
    }

    /// <summary>Consecutive tensors grouped into shards of at most <paramref name="shardBytes"/> (a larger tensor gets its own).</summary>
    private static List<List<SafetensorsTensorLayout>> Shards(List<SafetensorsTensorLayout> layout, long shardBytes)
    {
        var shards = new List<List<SafetensorsTensorLayout>> { new() };
        long size = 0;
        foreach (var tensor in layout)
        {
            if (size > 0 && size + tensor.ByteLength > shardBytes)
            {
                shards.Add([]);
                size = 0;
            }

            shards[^1].Add(tensor);
            size += tensor.ByteLength;
        }

        return shards;
    }
}
