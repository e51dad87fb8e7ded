using System.Globalization;
using Text2Lora.IO.Safetensors;
using static TorchSharp.torch;

namespace Text2Lora.Bench;

/// <summary>Writes a random-weight Llama checkpoint folder (config.json + model.safetensors) for benchmarking.</summary>
internal static class SyntheticCheckpoint
{
    public static string Write(int layers, int hidden, int heads, int kvHeads, int intermediate, int vocab, bool tied, ScalarType dtype, long seed = 0)
    {
        var dir = Path.Combine(Path.GetTempPath(), "t2l-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var config = string.Create(CultureInfo.InvariantCulture, $$"""
            {"model_type": "llama", "architectures": ["LlamaForCausalLM"], "vocab_size": {{vocab}}, "hidden_size": {{hidden}},
             "intermediate_size": {{intermediate}}, "num_hidden_layers": {{layers}}, "num_attention_heads": {{heads}},
             "num_key_value_heads": {{kvHeads}}, "max_position_embeddings": 2048, "rms_norm_eps": 1e-5, "rope_theta": 10000.0,
             "hidden_act": "silu", "tie_word_embeddings": {{(tied ? "true" : "false")}}, "bos_token_id": 1, "eos_token_id": 2}
            """);
        File.WriteAllText(Path.Combine(dir, "config.json"), config);

        manual_seed(seed);
        var headDim = hidden / heads;
        var tensors = new List<KeyValuePair<string, Tensor>>();
        void Add(string key, params long[] shape) =>
            tensors.Add(KeyValuePair.Create(key, shape.Length == 1 ? ones(shape).to_type(dtype) : randn(shape).mul_(0.02).to_type(dtype)));

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

        SafetensorsWriter.Write(Path.Combine(dir, "model.safetensors"), tensors);
        tensors.ForEach(t => t.Value.Dispose());
        return dir;
    }
}
