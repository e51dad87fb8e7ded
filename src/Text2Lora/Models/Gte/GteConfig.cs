using Text2Lora.Models.Llama;

namespace Text2Lora.Models.Gte;

/// <summary>
/// The architecture of a gte encoder ("NewModel", hub code <c>Alibaba-NLP/new-impl</c>, e.g.
/// <c>Alibaba-NLP/gte-large-en-v1.5</c>), parsed from its <c>config.json</c>. Defaults follow new-impl's
/// <c>NewConfig</c>. Options this port does not implement are refused by <see cref="Parse"/> with a
/// <see cref="ModelFormatException"/> naming the key, instead of silently computing something else.
/// </summary>
public sealed record GteConfig
{
    /// <summary>The file name of the architecture config in a model folder.</summary>
    public const string FileName = "config.json";

    /// <summary>The <c>hidden_act</c> values implemented: exact erf GELU, ReLU and SiLU.</summary>
    public static IReadOnlyList<string> SupportedActivations { get; } = ["gelu", "relu", "silu", "swish"];

    /// <summary><c>vocab_size</c> (rows of the word embedding; may exceed the tokenizer's vocabulary).</summary>
    public int VocabSize { get; init; } = 30528;

    /// <summary><c>hidden_size</c>.</summary>
    public int HiddenSize { get; init; } = 768;

    /// <summary><c>num_hidden_layers</c>.</summary>
    public int NumHiddenLayers { get; init; } = 12;

    /// <summary><c>num_attention_heads</c>.</summary>
    public int NumAttentionHeads { get; init; } = 12;

    /// <summary><c>intermediate_size</c>: each half of <c>up_gate_proj</c>'s output.</summary>
    public int IntermediateSize { get; init; } = 3072;

    /// <summary><c>hidden_act</c> of the gated MLP (<c>gelu</c> is the exact erf GELU, as in PyTorch).</summary>
    public string HiddenAct { get; init; } = "gelu";

    /// <summary><c>max_position_embeddings</c>: the RoPE cache size before scaling.</summary>
    public int MaxPositionEmbeddings { get; init; } = 2048;

    /// <summary><c>type_vocab_size</c> (0: no token-type embedding).</summary>
    public int TypeVocabSize { get; init; } = 1;

    /// <summary><c>layer_norm_eps</c>.</summary>
    public double LayerNormEps { get; init; } = 1e-12;

    /// <summary><c>rope_theta</c>.</summary>
    public double RopeTheta { get; init; } = 10000;

    /// <summary><c>rope_scaling.factor</c> of NTK scaling (the only scaling type implemented); null: plain RoPE.</summary>
    public double? NtkScalingFactor { get; init; }

    /// <summary><c>pad_token_id</c>.</summary>
    public int PadTokenId { get; init; }

    /// <summary>Per-head size: hidden / heads.</summary>
    public int HeadDim => HiddenSize / NumAttentionHeads;

    /// <summary>Reads and validates <c>config.json</c> from a model folder or a file path.</summary>
    /// <exception cref="FileNotFoundException">There is no config.json.</exception>
    /// <exception cref="ModelFormatException">The config is invalid or asks for an unimplemented feature; names the key.</exception>
    public static GteConfig Load(string pathOrDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(pathOrDirectory);
        var path = Directory.Exists(pathOrDirectory) ? Path.Combine(pathOrDirectory, FileName) : pathOrDirectory;
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No '{FileName}' at '{pathOrDirectory}'.", path);
        }

        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses and validates the text of a <c>config.json</c>; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="ModelFormatException">The config is invalid or asks for an unimplemented feature; names the key.</exception>
    public static GteConfig Parse(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        var c = ConfigJson.Parse(json, source);
        var defaults = new GteConfig();
        if (c.String("model_type") is { } modelType && modelType != "new")
        {
            throw c.Error("model_type", $"is '{modelType}'; the gte encoder implements model_type 'new' (NewModel)");
        }

        Refuse(c, "unpad_inputs", c.Bool("unpad_inputs") == true, "true (unpadded attention) is not implemented; set it to false (the results are the same)");
        Refuse(c, "use_memory_efficient_attention", c.Bool("use_memory_efficient_attention") == true, "true (xformers attention) is not implemented; set it to false");
        Refuse(c, "logn_attention_scale", c.Bool("logn_attention_scale") == true, "true (log-n attention scaling) is not implemented");
        Refuse(c, "pack_qkv", c.Bool("pack_qkv") == false, "false is not implemented; only the packed qkv_proj layout is");
        if (c.String("layer_norm_type") is { } norm && norm != "layer_norm")
        {
            throw c.Error("layer_norm_type", $"is '{norm}'; only 'layer_norm' is implemented");
        }

        if (c.String("position_embedding_type") is { } position && position != "rope")
        {
            throw c.Error("position_embedding_type", $"is '{position}'; only 'rope' is implemented");
        }

        var act = c.String("hidden_act") ?? defaults.HiddenAct;
        if (!SupportedActivations.Contains(act))
        {
            throw c.Error("hidden_act", $"is '{act}'; supported: {string.Join(", ", SupportedActivations)}");
        }

        double? ntkFactor = null;
        if (c.Object("rope_scaling") is { } scaling)
        {
            var scalingJson = ConfigJson.Parse(scaling.ToJsonString(), source);
            var type = scalingJson.String("type") ?? scalingJson.String("rope_type");
            if (type != "ntk")
            {
                throw c.Error("rope_scaling.type", $"is '{type ?? "(missing)"}'; only 'ntk' is implemented");
            }

            ntkFactor = scalingJson.Double("factor") ?? throw c.Error("rope_scaling.factor", "is required for ntk scaling");
            if (!(ntkFactor > 1.0) || double.IsInfinity(ntkFactor.Value))
            {
                throw c.Error("rope_scaling.factor", $"must be a finite number above 1, got {ntkFactor}");
            }
        }

        var config = new GteConfig
        {
            VocabSize = c.Int("vocab_size") ?? defaults.VocabSize,
            HiddenSize = c.Int("hidden_size") ?? defaults.HiddenSize,
            NumHiddenLayers = c.Int("num_hidden_layers") ?? defaults.NumHiddenLayers,
            NumAttentionHeads = c.Int("num_attention_heads") ?? defaults.NumAttentionHeads,
            IntermediateSize = c.Int("intermediate_size") ?? defaults.IntermediateSize,
            HiddenAct = act,
            MaxPositionEmbeddings = c.Int("max_position_embeddings") ?? defaults.MaxPositionEmbeddings,
            TypeVocabSize = c.Int("type_vocab_size") ?? defaults.TypeVocabSize,
            LayerNormEps = c.Double("layer_norm_eps") ?? defaults.LayerNormEps,
            RopeTheta = c.Double("rope_theta") ?? defaults.RopeTheta,
            NtkScalingFactor = ntkFactor,
            PadTokenId = c.Int("pad_token_id") ?? 0,
        };
        config.Validate(c);
        return config;
    }

    private void Validate(ConfigJson c)
    {
        // Sizes come from a file: bound them before anything is allocated from them.
        const int MaxSize = 1 << 20;
        Positive(c, "vocab_size", VocabSize, 1 << 24);
        Positive(c, "hidden_size", HiddenSize, MaxSize);
        Positive(c, "num_hidden_layers", NumHiddenLayers, 4096);
        Positive(c, "num_attention_heads", NumAttentionHeads, MaxSize);
        Positive(c, "intermediate_size", IntermediateSize, MaxSize);
        Positive(c, "max_position_embeddings", MaxPositionEmbeddings, 1 << 24);
        if (TypeVocabSize is < 0 or > 1 << 16)
        {
            throw c.Error("type_vocab_size", $"must be between 0 and 65536, got {TypeVocabSize}");
        }

        if (HiddenSize % NumAttentionHeads != 0 || HeadDim % 2 != 0)
        {
            throw c.Error("num_attention_heads", $"must divide hidden_size {HiddenSize} into even head sizes, got {NumAttentionHeads} heads");
        }

        if (!(LayerNormEps > 0) || double.IsInfinity(LayerNormEps))
        {
            throw c.Error("layer_norm_eps", $"must be a positive number, got {LayerNormEps}");
        }

        if (!(RopeTheta > 0) || double.IsInfinity(RopeTheta))
        {
            throw c.Error("rope_theta", $"must be a positive number, got {RopeTheta}");
        }

        if (PadTokenId < 0 || PadTokenId >= VocabSize)
        {
            throw c.Error("pad_token_id", $"must be a token id below vocab_size {VocabSize}, got {PadTokenId}");
        }
    }

    private static void Positive(ConfigJson c, string key, int value, int max)
    {
        if (value <= 0 || value > max)
        {
            throw c.Error(key, $"must be between 1 and {max}, got {value}");
        }
    }

    private static void Refuse(ConfigJson c, string key, bool refused, string problem)
    {
        if (refused)
        {
            throw c.Error(key, problem);
        }
    }
}
