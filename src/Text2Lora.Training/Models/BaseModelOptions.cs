using System.ComponentModel.DataAnnotations;

namespace Text2Lora.Training.Models;

/// <summary>The frozen base model a trainer adapts: a Hugging Face folder (config, safetensors, tokenizer).</summary>
public sealed class BaseModelOptions
{
    /// <summary>The model folder (relative paths in a config file are relative to the file).</summary>
    [Required]
    [MinLength(1)]
    public string Directory { get; set; } = "";

    /// <summary>Chat template or plain prompts.</summary>
    public PromptFormat PromptFormat { get; set; } = PromptFormat.Auto;
}
