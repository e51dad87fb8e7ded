using System.Text.Json.Serialization;

namespace Text2Lora.Training.Models;

/// <summary>How training examples are turned into prompts (see <see cref="Tasks.PromptFormatter"/>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PromptFormat>))]
public enum PromptFormat
{
    /// <summary>The model folder's chat template when it has one (instruct models), else plain text.</summary>
    Auto,

    /// <summary>Always the chat template; a model folder without one is an error.</summary>
    ChatTemplate,

    /// <summary>Plain <c>input → output</c> text with the tokenizer's BOS (base models).</summary>
    Plain,
}
