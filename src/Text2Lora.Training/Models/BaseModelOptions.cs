using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Text2Lora.Models;
using Text2Lora.Models.Llama;

namespace Text2Lora.Training.Models;

/// <summary>The frozen base model a trainer adapts: a Hugging Face folder (config, safetensors, tokenizer).</summary>
public sealed class BaseModelOptions
{
    /// <summary>The model folder (relative paths in a config file are relative to the file).</summary>
    [Required]
    [MinLength(1)]
    public string Directory { get; set; } = "";

    /// <summary>
    /// The name trained artifacts record as their base model (<c>base_model_name_or_path</c>, e.g. a hub id);
    /// empty: <see cref="Directory"/>.
    /// </summary>
    public string Id { get; set; } = "";

    /// <summary>The recorded base-model name: <see cref="Id"/>, else <see cref="Directory"/> (derived; not a config field).</summary>
    [JsonIgnore]
    public string RecordedId => string.IsNullOrWhiteSpace(Id) ? Directory : Id;

    /// <summary>Chat template or plain prompts.</summary>
    public PromptFormat PromptFormat { get; set; } = PromptFormat.Auto;

    /// <summary>
    /// The precision the frozen base model is loaded and computes in (JSON <c>"dtype"</c>): <c>float32</c> (default),
    /// <c>bfloat16</c> or <c>float16</c>. With a half precision base, trainable weights and optimizer state stay fp32
    /// (master weights) and the forward pass runs under autocast; see <c>docs/training.md</c>.
    /// </summary>
    [JsonPropertyName("dtype")]
    [AllowedValues(ModelDType.Float32, ModelDType.BFloat16, ModelDType.Float16, ErrorMessage = "must be float32, bfloat16 or float16.")]
    public string DType { get; set; } = ModelDType.Float32;

    /// <summary>How the base model is loaded (CPU, <see cref="DType"/>).</summary>
    internal ModelLoadOptions LoadOptions => new() { DType = ModelDType.Parse(DType) };
}
