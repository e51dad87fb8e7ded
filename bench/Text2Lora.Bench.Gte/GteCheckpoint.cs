using System.Globalization;
using System.Text;
using Text2Lora.Models.Gte;

namespace Text2Lora.Bench.Gte;

/// <summary>Writes a random-weight gte folder with gte-large-en-v1.5's shapes (or smaller ones) and a synthetic WordPiece vocabulary.</summary>
internal static class GteCheckpoint
{
    public static string ConfigJson(int layers, int hidden, int heads, int intermediate, int vocab) => string.Create(CultureInfo.InvariantCulture, $$"""
        {"architectures": ["NewModel"], "model_type": "new", "vocab_size": {{vocab}}, "hidden_size": {{hidden}},
         "num_hidden_layers": {{layers}}, "num_attention_heads": {{heads}}, "intermediate_size": {{intermediate}},
         "hidden_act": "gelu", "max_position_embeddings": 8192, "type_vocab_size": 2, "layer_norm_eps": 1e-12,
         "layer_norm_type": "layer_norm", "position_embedding_type": "rope", "rope_theta": 160000,
         "rope_scaling": {"type": "ntk", "factor": 2.0}, "pack_qkv": true, "unpad_inputs": false,
         "use_memory_efficient_attention": false, "logn_attention_scale": false, "pad_token_id": 0, "torch_dtype": "float32"}
        """);

    /// <summary>Writes the folder and returns its path (the caller deletes it).</summary>
    public static string Write(int layers = 24, int hidden = 1024, int heads = 16, int intermediate = 4096, int vocab = 30528)
    {
        var directory = Path.Combine(Path.GetTempPath(), "t2l-bench-gte-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var json = ConfigJson(layers, hidden, heads, intermediate, vocab);
        File.WriteAllText(Path.Combine(directory, GteConfig.FileName), json);
        using (var model = GteModel.CreateRandom(GteConfig.Parse(json, "bench"), seed: 1, initializerRange: 0.02))
        {
            model.SaveWeights(directory);
        }

        // bert-base-uncased's special ids, then synthetic words; 30522 entries like the real vocab.txt.
        var lines = new StringBuilder("[PAD]\n");
        for (var i = 0; i < 99; i++)
        {
            lines.Append(CultureInfo.InvariantCulture, $"[unused{i}]\n");
        }

        lines.Append("[UNK]\n[CLS]\n[SEP]\n[MASK]\n");
        for (var i = 104; i < Math.Min(vocab, 30522); i++)
        {
            lines.Append(CultureInfo.InvariantCulture, $"w{i}\n");
        }

        File.WriteAllText(Path.Combine(directory, "vocab.txt"), lines.ToString());
        File.WriteAllText(Path.Combine(directory, "tokenizer_config.json"), """{"do_lower_case": true, "model_max_length": 8192, "tokenizer_class": "BertTokenizer"}""");
        return directory;
    }
}
