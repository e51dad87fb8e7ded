using Microsoft.Extensions.AI;
using Text2Lora.Lora;

namespace Text2Lora.Chat;

/// <summary>
/// Per-request adapters for the Text2Lora chat clients: a <see cref="ChatOptions"/> may carry a task description (a
/// LoRA adapter is generated for it, for this request only) or a ready <see cref="LoraAdapter"/>, in
/// <see cref="ChatOptions.AdditionalProperties"/> under <see cref="DescriptionKey"/> / <see cref="AdapterKey"/>.
/// </summary>
public static class Text2LoraChatOptions
{
    /// <summary>The key of the task description (a string); the same name the OpenAI-compatible server accepts.</summary>
    public const string DescriptionKey = "t2l_description";

    /// <summary>The key of a <see cref="LoraAdapter"/> to apply to this request (the caller owns it).</summary>
    public const string AdapterKey = "t2l_adapter";

    /// <summary>Asks for an adapter generated from <paramref name="description"/> for this request.</summary>
    public static ChatOptions WithTaskDescription(this ChatOptions options, string description)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        (options.AdditionalProperties ??= [])[DescriptionKey] = description;
        return options;
    }

    /// <summary>Applies <paramref name="adapter"/> to this request (the caller keeps ownership).</summary>
    public static ChatOptions WithAdapter(this ChatOptions options, LoraAdapter adapter)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(adapter);
        (options.AdditionalProperties ??= [])[AdapterKey] = adapter;
        return options;
    }

    /// <summary>The task description the request carries, if any.</summary>
    public static string? GetTaskDescription(this ChatOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(DescriptionKey, out var value) == true ? value?.ToString() : null;

    /// <summary>The adapter the request carries, if any.</summary>
    public static LoraAdapter? GetAdapter(this ChatOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(AdapterKey, out var value) == true ? value as LoraAdapter : null;
}
