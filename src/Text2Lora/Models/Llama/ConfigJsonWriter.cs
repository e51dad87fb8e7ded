using System.Text.Json;
using System.Text.Json.Nodes;

namespace Text2Lora.Models.Llama;

/// <summary>
/// Writes a <see cref="LlamaFamilyConfig"/> as the Hugging Face <c>config.json</c> that
/// <see cref="LlamaFamilyConfig.Parse"/> reads back to an equal config (the inverse of the family rules there).
/// </summary>
internal static class ConfigJsonWriter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Write(LlamaFamilyConfig config, string torchDtype, double initializerRange)
    {
        var gemma = config.ModelType == "gemma2";
        var root = new JsonObject
        {
            ["architectures"] = new JsonArray(Architecture(config.ModelType)),
            ["model_type"] = config.ModelType,
            ["vocab_size"] = config.VocabSize,
            ["hidden_size"] = config.HiddenSize,
            ["intermediate_size"] = config.IntermediateSize,
            ["num_hidden_layers"] = config.NumHiddenLayers,
            ["num_attention_heads"] = config.NumAttentionHeads,
            ["num_key_value_heads"] = config.NumKeyValueHeads,
            ["head_dim"] = config.HeadDim,
            ["max_position_embeddings"] = config.MaxPositionEmbeddings,
            ["rms_norm_eps"] = config.RmsNormEps,
            ["rope_theta"] = config.RopeTheta,
            ["rope_scaling"] = RopeScalingNode(config.RopeScaling),
            [gemma ? "hidden_activation" : "hidden_act"] = ActivationName(config.HiddenActivation),
            ["tie_word_embeddings"] = config.TieWordEmbeddings,
            ["initializer_range"] = initializerRange,
            ["torch_dtype"] = torchDtype,
        };

        WriteBiases(config, root);
        WriteSlidingWindow(config, root);
        if (gemma)
        {
            // Parse stored scalar^-0.5; rounding undoes the float error of inverting it (the scalar is a head size).
            root["query_pre_attn_scalar"] = Math.Round(1.0 / (config.AttentionScale * config.AttentionScale), 6);
            root["attn_logit_softcapping"] = config.AttentionLogitSoftcapping;
            root["final_logit_softcapping"] = config.FinalLogitSoftcapping;
        }

        root["bos_token_id"] = config.BosTokenId;
        root["eos_token_id"] = EosNode(config.EosTokenIds);
        root["pad_token_id"] = config.PadTokenId;
        return root.ToJsonString(Indented) + "\n";
    }

    /// <summary><c>generation_config.json</c> as <c>save_pretrained</c> derives it from the model config: the special token ids.</summary>
    public static string WriteGenerationConfig(LlamaFamilyConfig config)
    {
        var root = new JsonObject { ["_from_model_config"] = true };
        if (config.BosTokenId is { } bos)
        {
            root["bos_token_id"] = bos;
        }

        if (config.EosTokenIds.Count > 0)
        {
            root["eos_token_id"] = EosNode(config.EosTokenIds);
        }

        if (config.PadTokenId is { } pad)
        {
            root["pad_token_id"] = pad;
        }

        return root.ToJsonString(Indented) + "\n";
    }

    private static JsonNode? EosNode(IReadOnlyList<int> ids) => ids.Count switch
    {
        0 => null,
        1 => ids[0],
        _ => new JsonArray([.. ids.Select(id => (JsonNode)id)]),
    };

    private static string Architecture(string modelType) => modelType switch
    {
        "llama" => "LlamaForCausalLM",
        "mistral" => "MistralForCausalLM",
        "qwen2" => "Qwen2ForCausalLM",
        "gemma2" => "Gemma2ForCausalLM",
        _ => throw new ArgumentException($"model_type '{modelType}' is not supported.", nameof(modelType)),
    };

    private static string ActivationName(HiddenActivation activation) => activation switch
    {
        HiddenActivation.Silu => "silu",
        HiddenActivation.GeluTanh => "gelu_pytorch_tanh",
        HiddenActivation.Gelu => "gelu",
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "unknown activation"),
    };

    private static JsonObject? RopeScalingNode(RopeScaling? scaling) => scaling switch
    {
        null => null,
        { RopeType: "llama3" } => new JsonObject
        {
            ["rope_type"] = "llama3",
            ["factor"] = scaling.Factor,
            ["low_freq_factor"] = scaling.LowFreqFactor,
            ["high_freq_factor"] = scaling.HighFreqFactor,
            ["original_max_position_embeddings"] = scaling.OriginalMaxPositionEmbeddings,
        },
        _ => new JsonObject { ["rope_type"] = scaling.RopeType, ["factor"] = scaling.Factor },
    };

    /// <summary>Llama/Mistral/Gemma 2 share one <c>attention_bias</c> flag; Qwen2 always has q/k/v bias and none on o.</summary>
    private static void WriteBiases(LlamaFamilyConfig config, JsonObject root)
    {
        if (config.ModelType == "qwen2")
        {
            return;
        }

        if (config.QkvBias != config.OutputBias)
        {
            throw new ArgumentException($"A {config.ModelType} config.json has one attention_bias flag; q/k/v bias {config.QkvBias} and output bias {config.OutputBias} cannot both be written.", nameof(config));
        }

        root["attention_bias"] = config.QkvBias;
        if (config.ModelType == "llama")
        {
            root["mlp_bias"] = config.MlpBias;
        }
    }

    private static void WriteSlidingWindow(LlamaFamilyConfig config, JsonObject root)
    {
        switch (config.ModelType)
        {
            case "mistral":
            case "gemma2":
                root["sliding_window"] = config.SlidingWindow;
                break;
            case "qwen2":
                root["use_sliding_window"] = config.SlidingWindow is not null;
                if (config.SlidingWindow is { } window)
                {
                    root["sliding_window"] = window;
                    var first = config.SlidingWindowLayers.ToList().IndexOf(true);
                    root["max_window_layers"] = first < 0 ? config.NumHiddenLayers : first;
                }

                break;
        }
    }
}
