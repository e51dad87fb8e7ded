using Text2Lora.Lora;

namespace Text2Lora.Models.Llama;

/// <summary>
/// The architecture of a Llama-family decoder, parsed from a Hugging Face <c>config.json</c>
/// (<c>model_type</c> <c>llama</c>, <c>mistral</c>, <c>qwen2</c> or <c>gemma2</c>). The family differences are
/// plain options here, so one implementation serves all four (defaults follow transformers 4.46).
/// </summary>
public sealed record LlamaFamilyConfig
{
    /// <summary>The file name of a model folder's architecture config.</summary>
    public const string FileName = "config.json";

    /// <summary>The <c>model_type</c> values this library implements.</summary>
    public static IReadOnlyList<string> SupportedModelTypes { get; } = ["llama", "mistral", "qwen2", "gemma2"];

    /// <summary><c>model_type</c>.</summary>
    public required string ModelType { get; init; }

    /// <summary><c>vocab_size</c>.</summary>
    public required int VocabSize { get; init; }

    /// <summary><c>hidden_size</c>.</summary>
    public required int HiddenSize { get; init; }

    /// <summary><c>intermediate_size</c> of the gated MLP.</summary>
    public required int IntermediateSize { get; init; }

    /// <summary><c>num_hidden_layers</c>.</summary>
    public required int NumHiddenLayers { get; init; }

    /// <summary><c>num_attention_heads</c>.</summary>
    public required int NumAttentionHeads { get; init; }

    /// <summary><c>num_key_value_heads</c> (grouped-query attention when smaller than the head count).</summary>
    public required int NumKeyValueHeads { get; init; }

    /// <summary>Per-head size (<c>head_dim</c>, else hidden/heads).</summary>
    public required int HeadDim { get; init; }

    /// <summary><c>max_position_embeddings</c>.</summary>
    public int MaxPositionEmbeddings { get; init; } = 2048;

    /// <summary><c>rms_norm_eps</c>.</summary>
    public double RmsNormEps { get; init; } = 1e-6;

    /// <summary><c>rope_theta</c>.</summary>
    public double RopeTheta { get; init; } = 10000;

    /// <summary><c>rope_scaling</c> (null: plain RoPE).</summary>
    public RopeScaling? RopeScaling { get; init; }

    /// <summary>MLP gate activation.</summary>
    public HiddenActivation HiddenActivation { get; init; } = HiddenActivation.Silu;

    /// <summary><c>tie_word_embeddings</c>: the output head reuses the token embedding matrix.</summary>
    public bool TieWordEmbeddings { get; init; }

    /// <summary>Bias on q/k/v projections (Llama <c>attention_bias</c>; always on for Qwen2).</summary>
    public bool QkvBias { get; init; }

    /// <summary>Bias on the output projection (Llama/Gemma2 <c>attention_bias</c>; off for Qwen2).</summary>
    public bool OutputBias { get; init; }

    /// <summary>Bias on the MLP projections (Llama <c>mlp_bias</c>).</summary>
    public bool MlpBias { get; init; }

    /// <summary>Sliding attention window in tokens, for the layers <see cref="UsesSlidingWindow"/> selects (null: none).</summary>
    public int? SlidingWindow { get; init; }

    /// <summary>Per layer: whether it attends only within <see cref="SlidingWindow"/> (empty: no layer does).</summary>
    public IReadOnlyList<bool> SlidingWindowLayers { get; init; } = [];

    /// <summary>Multiplier of q·kᵀ: <c>query_pre_attn_scalar^-0.5</c> for Gemma 2, else <c>head_dim^-0.5</c>.</summary>
    public required double AttentionScale { get; init; }

    /// <summary>Gemma 2 <c>attn_logit_softcapping</c>: scores become <c>c·tanh(s/c)</c> (null: off).</summary>
    public double? AttentionLogitSoftcapping { get; init; }

    /// <summary>Gemma 2 <c>final_logit_softcapping</c>: logits become <c>c·tanh(z/c)</c> (null: off).</summary>
    public double? FinalLogitSoftcapping { get; init; }

    /// <summary>Gemma: RMSNorm multiplies by <c>(1 + w)</c> in float32 before casting back.</summary>
    public bool NormWeightPlusOne { get; init; }

    /// <summary>Gemma: embeddings are multiplied by <c>sqrt(hidden_size)</c> (rounded to the model dtype).</summary>
    public bool ScaleEmbeddings { get; init; }

    /// <summary>Gemma 2: extra norms after attention output and around the MLP (<c>pre/post_feedforward_layernorm</c>).</summary>
    public bool SandwichNorms { get; init; }

    /// <summary><c>bos_token_id</c>.</summary>
    public int? BosTokenId { get; init; }

    /// <summary><c>eos_token_id</c> (one id or a list).</summary>
    public IReadOnlyList<int> EosTokenIds { get; init; } = [];

    /// <summary><c>pad_token_id</c>.</summary>
    public int? PadTokenId { get; init; }

    /// <summary>Number of query heads sharing one key/value head.</summary>
    public int KeyValueGroups => NumAttentionHeads / NumKeyValueHeads;

    /// <summary>Whether layer <paramref name="layer"/> uses the sliding window.</summary>
    public bool UsesSlidingWindow(int layer) =>
        SlidingWindow is not null && layer < SlidingWindowLayers.Count && SlidingWindowLayers[layer];

    /// <summary>
    /// The LoRA-adaptable linear layers of every decoder layer with their in/out features, from the config alone
    /// (no weights needed), in the order q, k, v, o, gate, up, down.
    /// </summary>
    public LoraTargetDescription LoraTargets()
    {
        var attention = NumAttentionHeads * HeadDim;
        var keyValue = NumKeyValueHeads * HeadDim;
        return new LoraTargetDescription(NumHiddenLayers,
        [
            new LoraTargetModule("q_proj", "model.layers.{0}.self_attn.q_proj", HiddenSize, attention),
            new LoraTargetModule("k_proj", "model.layers.{0}.self_attn.k_proj", HiddenSize, keyValue),
            new LoraTargetModule("v_proj", "model.layers.{0}.self_attn.v_proj", HiddenSize, keyValue),
            new LoraTargetModule("o_proj", "model.layers.{0}.self_attn.o_proj", attention, HiddenSize),
            new LoraTargetModule("gate_proj", "model.layers.{0}.mlp.gate_proj", HiddenSize, IntermediateSize),
            new LoraTargetModule("up_proj", "model.layers.{0}.mlp.up_proj", HiddenSize, IntermediateSize),
            new LoraTargetModule("down_proj", "model.layers.{0}.mlp.down_proj", IntermediateSize, HiddenSize),
        ]);
    }

    /// <summary>The most decoder layers a config may declare (published Llama-family models have at most a few hundred).</summary>
    public const int MaxLayers = 1024;

    /// <summary>
    /// Bytes the model's weights and fixed tables take in <paramref name="bytesPerElement"/>-byte elements, from the
    /// config alone (a double, so corrupt sizes cannot overflow). Counts embeddings, output head (unless tied), every
    /// projection, norm and bias, and the rotary cos/sin tables (float32, max_position_embeddings × head_dim each).
    /// </summary>
    public double EstimateBytes(int bytesPerElement)
    {
        double hidden = HiddenSize, attention = (double)NumAttentionHeads * HeadDim, keyValue = (double)NumKeyValueHeads * HeadDim;
        var embedding = (double)VocabSize * hidden * (TieWordEmbeddings ? 1 : 2);
        var perLayer = hidden * attention * 2 + hidden * keyValue * 2 + 3 * hidden * IntermediateSize + hidden * (SandwichNorms ? 4 : 2)
            + (QkvBias ? attention + 2 * keyValue : 0) + (OutputBias ? hidden : 0) + (MlpBias ? 2 * IntermediateSize + hidden : 0);
        var rotary = 2.0 * MaxPositionEmbeddings * HeadDim * sizeof(float);
        return (embedding + perLayer * NumHiddenLayers + hidden) * bytesPerElement + rotary;
    }

    /// <summary>The field whose value dominates <see cref="EstimateBytes"/> (named in size errors).</summary>
    internal string DominantSizeField()
    {
        var embedding = (double)VocabSize * HiddenSize;
        var layers = (double)NumHiddenLayers * HiddenSize * Math.Max(IntermediateSize, (double)NumAttentionHeads * HeadDim);
        var rotary = (double)MaxPositionEmbeddings * HeadDim;
        return rotary > embedding && rotary > layers ? "max_position_embeddings" : embedding >= layers ? "vocab_size" : "num_hidden_layers";
    }

    /// <summary>
    /// This config as Hugging Face <c>config.json</c> text, which <see cref="Parse"/> reads back to an equal config.
    /// <paramref name="torchDtype"/> and <paramref name="initializerRange"/> are recorded as HF records them.
    /// </summary>
    /// <exception cref="ArgumentException">The options cannot be expressed in this family's <c>config.json</c> (e.g. q/k/v bias without output bias for Llama).</exception>
    public string ToConfigJson(string torchDtype = "float32", double initializerRange = 0.02) =>
        ConfigJsonWriter.Write(this, torchDtype, initializerRange);

    /// <summary>Reads <c>config.json</c> from a checkpoint folder (or the file itself).</summary>
    /// <exception cref="FileNotFoundException">No config.json.</exception>
    /// <exception cref="ModelFormatException">Invalid JSON, a bad field or an unsupported <c>model_type</c>.</exception>
    public static LlamaFamilyConfig Load(string pathOrDirectory)
    {
        var path = Directory.Exists(pathOrDirectory) ? Path.Combine(pathOrDirectory, FileName) : pathOrDirectory;
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No 'config.json' at '{pathOrDirectory}'.", path);
        }

        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses <c>config.json</c> text; <paramref name="source"/> names the file in errors.</summary>
    /// <exception cref="ModelFormatException">Invalid JSON, a bad field or an unsupported <c>model_type</c>.</exception>
    public static LlamaFamilyConfig Parse(string json, string source = "config.json")
    {
        var c = ConfigJson.Parse(json, source);
        var modelType = c.String("model_type") ?? throw c.Error("model_type", "is required");
        if (!SupportedModelTypes.Contains(modelType))
        {
            throw new ModelFormatException(source, "model_type",
                $"model_type '{modelType}' is not supported; supported: {string.Join(", ", SupportedModelTypes)}.");
        }

        var gemma = modelType == "gemma2";
        var hidden = c.RequiredPositiveInt("hidden_size");
        var heads = c.RequiredPositiveInt("num_attention_heads");
        var kvHeads = c.Int("num_key_value_heads") ?? heads;
        if (kvHeads <= 0 || heads % kvHeads != 0)
        {
            throw c.Error("num_key_value_heads", $"must be a positive divisor of num_attention_heads ({heads}), got {kvHeads}");
        }

        // transformers 4.46: Qwen2 always derives head_dim; Llama/Mistral honour head_dim when set; Gemma2 defaults to 256.
        var headDim = modelType == "qwen2" ? hidden / heads : c.Int("head_dim") ?? (gemma ? 256 : hidden / heads);
        if (headDim <= 0 || headDim % 2 != 0)
        {
            throw c.Error("head_dim", $"must be a positive even number, got {headDim}");
        }

        var layers = c.RequiredPositiveInt("num_hidden_layers");
        if (layers > MaxLayers)
        {
            throw c.Error("num_hidden_layers", $"must be at most {MaxLayers}, got {layers}");
        }

        if ((long)heads * headDim > int.MaxValue || (long)kvHeads * headDim > int.MaxValue)
        {
            throw c.Error("num_attention_heads", $"times head_dim ({headDim}) exceeds the largest supported size");
        }

        if (c.Int("max_position_embeddings") is <= 0 and var maxPositions)
        {
            throw c.Error("max_position_embeddings", $"must be positive, got {maxPositions}");
        }
        var attentionBias = c.Bool("attention_bias") ?? false;
        var (slidingWindow, slidingLayers) = ReadSlidingWindow(c, modelType, layers);
        var queryPreAttnScalar = gemma ? c.PositiveFinite("query_pre_attn_scalar", 1e9) ?? 256 : (double?)null;

        return new LlamaFamilyConfig
        {
            ModelType = modelType,
            VocabSize = c.RequiredPositiveInt("vocab_size"),
            HiddenSize = hidden,
            IntermediateSize = c.RequiredPositiveInt("intermediate_size"),
            NumHiddenLayers = layers,
            NumAttentionHeads = heads,
            NumKeyValueHeads = kvHeads,
            HeadDim = headDim,
            MaxPositionEmbeddings = c.Int("max_position_embeddings") ?? (gemma ? 8192 : 2048),
            RmsNormEps = c.PositiveFinite("rms_norm_eps", 1) ?? 1e-6,

            // The inverse frequencies theta^(-2i/d) are computed in float32: theta must keep them finite and non-zero.
            RopeTheta = c.PositiveFinite("rope_theta", 1e30) ?? 10000,
            RopeScaling = ReadRopeScaling(c),
            HiddenActivation = ReadActivation(c, gemma),
            TieWordEmbeddings = c.Bool("tie_word_embeddings") ?? gemma,
            QkvBias = modelType == "qwen2" || attentionBias,
            OutputBias = modelType != "qwen2" && attentionBias,
            MlpBias = modelType == "llama" && (c.Bool("mlp_bias") ?? false),
            SlidingWindow = slidingWindow,
            SlidingWindowLayers = slidingLayers,
            AttentionScale = 1.0 / Math.Sqrt(queryPreAttnScalar ?? headDim),
            AttentionLogitSoftcapping = gemma ? c.PositiveFinite("attn_logit_softcapping", 1e30) : null,
            FinalLogitSoftcapping = gemma ? c.PositiveFinite("final_logit_softcapping", 1e30) : null,
            NormWeightPlusOne = gemma,
            ScaleEmbeddings = gemma,
            SandwichNorms = gemma,
            BosTokenId = c.Int("bos_token_id"),
            EosTokenIds = c.IntOrIntList("eos_token_id"),
            PadTokenId = c.Int("pad_token_id"),
        };
    }

    private static (int? Window, bool[] Layers) ReadSlidingWindow(ConfigJson c, string modelType, int layers)
    {
        int? window = modelType switch
        {
            "mistral" => c.Int("sliding_window"),
            "gemma2" => c.Int("sliding_window") ?? 4096,
            "qwen2" when c.Bool("use_sliding_window") == true => c.Int("sliding_window") ?? 4096,
            _ => null,
        };
        if (window is null)
        {
            return (null, []);
        }

        if (window <= 0)
        {
            throw c.Error("sliding_window", $"must be positive, got {window}");
        }

        var maxWindowLayers = c.Int("max_window_layers") ?? 28;
        var selected = Enumerable.Range(0, layers).Select(layer => modelType switch
        {
            "gemma2" => layer % 2 == 0,            // Gemma 2 alternates: even layers local, odd layers global
            "qwen2" => layer >= maxWindowLayers,   // Qwen2: layers from max_window_layers on use the window
            _ => true,
        }).ToArray();
        return (window, selected);
    }

    private static RopeScaling? ReadRopeScaling(ConfigJson c)
    {
        var scaling = c.Object("rope_scaling");
        if (scaling is null)
        {
            return null;
        }

        var sub = new ConfigJson(scaling, c.Source);
        var type = sub.String("rope_type") ?? sub.String("type") ?? "default";
        var factor = sub.PositiveFinite("factor", 1e6) ?? 1.0;
        switch (type)
        {
            case "default":
                return null;
            case "linear":
                return new RopeScaling(type, factor, 0, 0, 0);
            case "llama3":
                var low = sub.PositiveFinite("low_freq_factor", 1e6) ?? throw c.Error("rope_scaling.low_freq_factor", "is required for llama3 scaling");
                var high = sub.PositiveFinite("high_freq_factor", 1e6) ?? throw c.Error("rope_scaling.high_freq_factor", "is required for llama3 scaling");
                var original = (sub.Int("original_max_position_embeddings") is > 0 and var positive ? positive : (int?)null) ?? throw c.Error("rope_scaling.original_max_position_embeddings", "is required for llama3 scaling and must be positive");
                if (!(high > low))
                {
                    throw c.Error("rope_scaling.high_freq_factor", $"must exceed low_freq_factor ({low})");
                }

                return new RopeScaling(type, factor, low, high, original);
            default:
                throw c.Error("rope_scaling.rope_type", $"'{type}' is not supported (supported: default, linear, llama3)");
        }
    }

    private static HiddenActivation ReadActivation(ConfigJson c, bool gemma)
    {
        // transformers 4.46 Gemma2MLP reads hidden_activation; the other families read hidden_act.
        var key = gemma && c.Has("hidden_activation") ? "hidden_activation" : "hidden_act";
        var name = c.String(key) ?? (gemma ? "gelu_pytorch_tanh" : "silu");
        return name switch
        {
            "silu" or "swish" => HiddenActivation.Silu,
            "gelu_pytorch_tanh" or "gelu_new" => HiddenActivation.GeluTanh,
            "gelu" => HiddenActivation.Gelu,
            _ => throw c.Error(key, $"activation '{name}' is not supported (silu, gelu_pytorch_tanh, gelu)"),
        };
    }
}
