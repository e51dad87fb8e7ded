using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Text2Lora.IO;

namespace Text2Lora.Lora;

/// <summary>
/// A PEFT <c>LoraConfig</c> as stored in <c>adapter_config.json</c>. Fields Text2Lora does not model are kept
/// in <see cref="ExtensionData"/> and written back unchanged.
/// </summary>
public sealed class LoraConfig
{
    /// <summary>PEFT tuner type; Text2Lora reads only <c>LORA</c>.</summary>
    [JsonPropertyName("peft_type")]
    public string PeftType { get; set; } = "LORA";

    /// <summary>LoRA rank.</summary>
    [JsonPropertyName("r")]
    public int R { get; set; } = 8;

    /// <summary>LoRA alpha; scaling is alpha/r, or alpha/sqrt(r) with <see cref="UseRslora"/>.</summary>
    [JsonPropertyName("lora_alpha")]
    public double LoraAlpha { get; set; } = 8;

    /// <summary>Which modules carry LoRA weights.</summary>
    [JsonPropertyName("target_modules")]
    public TargetModules? TargetModules { get; set; }

    /// <summary>Rank-stabilised LoRA: scaling alpha/sqrt(r) (Kalajdzievski 2023).</summary>
    [JsonPropertyName("use_rslora")]
    public bool UseRslora { get; set; }

    /// <summary>Dropout on the LoRA input during training.</summary>
    [JsonPropertyName("lora_dropout")]
    public double LoraDropout { get; set; }

    /// <summary>Which biases are trained; Text2Lora supports <c>none</c>.</summary>
    [JsonPropertyName("bias")]
    public string Bias { get; set; } = "none";

    /// <summary>The base model the adapter was made for (hub id or path).</summary>
    [JsonPropertyName("base_model_name_or_path")]
    public string? BaseModelNameOrPath { get; set; }

    /// <summary>PEFT task type, <c>CAUSAL_LM</c> for decoders.</summary>
    [JsonPropertyName("task_type")]
    public string? TaskType { get; set; } = "CAUSAL_LM";

    /// <summary>Layer indices that get LoRA (null: all).</summary>
    [JsonPropertyName("layers_to_transform")]
    [JsonConverter(typeof(IntListOrIntJsonConverter))]
    public int[]? LayersToTransform { get; set; }

    /// <summary>Name of the layer list used with <see cref="LayersToTransform"/>.</summary>
    [JsonPropertyName("layers_pattern")]
    public JsonNode? LayersPattern { get; set; }

    /// <summary>Whether the adapter was saved for inference.</summary>
    [JsonPropertyName("inference_mode")]
    public bool InferenceMode { get; set; } = true;

    /// <summary>DoRA (weight-decomposed LoRA); not supported by Text2Lora.</summary>
    [JsonPropertyName("use_dora")]
    public bool UseDora { get; set; }

    /// <summary>Conv1D-style transposed weights (GPT-2); not supported by Text2Lora.</summary>
    [JsonPropertyName("fan_in_fan_out")]
    public bool FanInFanOut { get; set; }

    /// <summary>Modules saved in full next to the adapter; not supported by Text2Lora.</summary>
    [JsonPropertyName("modules_to_save")]
    public JsonNode? ModulesToSave { get; set; }

    /// <summary>Per-module rank overrides: pattern → rank.</summary>
    [JsonPropertyName("rank_pattern")]
    public Dictionary<string, int> RankPattern { get; set; } = [];

    /// <summary>Per-module alpha overrides: pattern → alpha.</summary>
    [JsonPropertyName("alpha_pattern")]
    public Dictionary<string, double> AlphaPattern { get; set; } = [];

    /// <summary>Every other field of the file, preserved on round trip.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement> ExtensionData { get; set; } = [];

    private static readonly JsonSerializerOptions SerializerOptions = new()
    {
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    private static readonly JsonSerializerOptions ReadOptions = StrictJson.Strict(SerializerOptions);

    private static readonly JsonSerializerOptions WriteOptions = new() { WriteIndented = true, IndentSize = 2 };

    /// <summary>The rank of the module at <paramref name="modulePath"/> (<see cref="RankPattern"/> first, as PEFT does).</summary>
    public int RankFor(string modulePath) =>
        MatchPattern(RankPattern.Keys, modulePath) is { } key ? RankPattern[key] : R;

    /// <summary>The alpha of the module at <paramref name="modulePath"/> (<see cref="AlphaPattern"/> first, as PEFT does).</summary>
    public double AlphaFor(string modulePath) =>
        MatchPattern(AlphaPattern.Keys, modulePath) is { } key ? AlphaPattern[key] : LoraAlpha;

    /// <summary>PEFT's scaling for a module: alpha/r, or alpha/sqrt(r) with rsLoRA.</summary>
    public double ScalingFor(string modulePath)
    {
        var rank = RankFor(modulePath);
        var alpha = AlphaFor(modulePath);
        return UseRslora ? alpha / Math.Sqrt(rank) : alpha / rank;
    }

    /// <summary>Parses <c>adapter_config.json</c> text; <paramref name="source"/> names the file in errors.</summary>
    /// <exception cref="AdapterFormatException">Invalid JSON or an invalid field.</exception>
    /// <exception cref="UnsupportedAdapterException">A PEFT feature Text2Lora does not implement is switched on.</exception>
    public static LoraConfig Parse(string json, string source = "adapter_config.json")
    {
        LoraConfig? config;
        try
        {
            config = JsonSerializer.Deserialize<LoraConfig>(json, ReadOptions);
        }
        catch (JsonException ex)
        {
            var field = ex.Path is { Length: > 2 } p ? p.TrimStart('$', '.') : null;
            throw new AdapterFormatException(source, field, $"invalid JSON{(field is null ? "" : $" at '{field}'")}: {ex.Message}", ex);
        }

        if (config is null)
        {
            throw new AdapterFormatException(source, null, "the file holds JSON null, not a LoRA config.");
        }

        config.Validate(source);
        return config;
    }

    /// <summary>Reads and validates <c>adapter_config.json</c> at <paramref name="path"/>.</summary>
    public static LoraConfig Load(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>Serialises as PEFT does: keys sorted, two-space indentation.</summary>
    public string ToJson()
    {
        var node = JsonSerializer.SerializeToNode(this, SerializerOptions)!.AsObject();
        var sorted = new JsonObject();
        foreach (var (key, value) in node.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            sorted[key] = value?.DeepClone();
        }

        return sorted.ToJsonString(WriteOptions);
    }

    /// <summary>A deep copy.</summary>
    public LoraConfig Clone() => Parse(ToJson(), "clone");

    /// <summary>Checks the values are usable; throws naming the field.</summary>
    public void Validate(string source = "adapter_config.json")
    {
        if (!string.Equals(PeftType, "LORA", StringComparison.OrdinalIgnoreCase))
        {
            throw new UnsupportedAdapterException(source, "peft_type", $"peft_type '{PeftType}' is not supported; only LORA adapters are.");
        }

        if (R <= 0)
        {
            throw new AdapterFormatException(source, "r", $"'r' must be positive, got {R}.");
        }

        if (!(LoraAlpha > 0) || double.IsInfinity(LoraAlpha))
        {
            throw new AdapterFormatException(source, "lora_alpha", $"'lora_alpha' must be a positive number, got {LoraAlpha}.");
        }

        if (LoraDropout is < 0 or >= 1 || double.IsNaN(LoraDropout))
        {
            throw new AdapterFormatException(source, "lora_dropout", $"'lora_dropout' must be in [0, 1), got {LoraDropout}.");
        }

        // JSON null for a map is read as "no overrides" (PEFT writes {}).
        RankPattern ??= [];
        AlphaPattern ??= [];
        ExtensionData ??= [];
        foreach (var (key, rank) in RankPattern)
        {
            if (rank <= 0)
            {
                throw new AdapterFormatException(source, $"rank_pattern.{key}", $"rank_pattern '{key}' must be positive, got {rank}.");
            }

            RequireValidPattern(source, $"rank_pattern.{key}", key);
        }

        foreach (var (key, alpha) in AlphaPattern)
        {
            if (!(alpha > 0) || double.IsInfinity(alpha))
            {
                throw new AdapterFormatException(source, $"alpha_pattern.{key}", $"alpha_pattern '{key}' must be a positive number, got {alpha}.");
            }

            RequireValidPattern(source, $"alpha_pattern.{key}", key);
        }

        if (TargetModules?.Pattern is { } targetPattern)
        {
            RequireValidPattern(source, "target_modules", targetPattern);
        }

        if (LayersToTransform?.FirstOrDefault(layer => layer < 0) is < 0 and var negative)
        {
            throw new AdapterFormatException(source, "layers_to_transform", $"layer indices must not be negative, got {negative}.");
        }

        if (UseDora)
        {
            throw new UnsupportedAdapterException(source, "use_dora", "DoRA adapters (use_dora: true) are not supported.");
        }

        if (FanInFanOut)
        {
            throw new UnsupportedAdapterException(source, "fan_in_fan_out", "fan_in_fan_out: true (Conv1D/GPT-2 layout) is not supported.");
        }

        if (!string.Equals(Bias, "none", StringComparison.Ordinal))
        {
            throw new UnsupportedAdapterException(source, "bias", $"bias '{Bias}' is not supported; only 'none'.");
        }

        if (ModulesToSave is JsonArray { Count: > 0 })
        {
            throw new UnsupportedAdapterException(source, "modules_to_save", "adapters with modules_to_save are not supported.");
        }

        RejectIfSet(source, "lora_bias", e => e.ValueKind == JsonValueKind.True);
        RejectIfSet(source, "layer_replication", e => e.ValueKind is not JsonValueKind.Null);
        RejectIfSet(source, "trainable_token_indices", e => e.ValueKind is not JsonValueKind.Null);
        RejectIfSet(source, "use_qalora", e => e.ValueKind == JsonValueKind.True);
    }

    /// <summary>PEFT treats these keys as regular expressions; one that does not compile is a format error, not a crash at first use.</summary>
    private static void RequireValidPattern(string source, string field, string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException ex)
        {
            throw new AdapterFormatException(source, field, $"'{pattern}' is not a valid regular expression: {ex.Message}", ex);
        }
    }

    private void RejectIfSet(string source, string field, Func<JsonElement, bool> isSet)
    {
        if (ExtensionData.TryGetValue(field, out var value) && isSet(value))
        {
            throw new UnsupportedAdapterException(source, field, $"'{field}' is set; Text2Lora does not support it.");
        }
    }

    /// <summary>PEFT's <c>get_pattern_key</c>: the first pattern <c>p</c> with <c>(.*\.)?p$</c> matching the path.</summary>
    private static string? MatchPattern(IEnumerable<string> patterns, string modulePath) =>
        patterns.FirstOrDefault(pattern =>
            Regex.IsMatch(modulePath, $"^(.*\\.)?(?:{pattern})$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));
}
