using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

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
}
