using Text2Lora.Models.Llama;

namespace Text2Lora.Evaluation.Models;

/// <summary>Which model <c>t2l eval</c> evaluates: a base model folder, optionally with a LoRA adapter or a hypernetwork + description.</summary>
/// <param name="ModelDirectory">Hugging Face model folder (config.json, weights, tokenizer files).</param>
/// <param name="AdapterDirectory">PEFT adapter folder to apply, if any.</param>
/// <param name="HypernetworkDirectory">T2L hypernetwork folder that generates the adapter, if any.</param>
/// <param name="Description">Task description the hypernetwork turns into an adapter (with <paramref name="HypernetworkDirectory"/> only).</param>
/// <param name="Encoder">Overrides the description encoder the checkpoint names (folder or id), if given.</param>
/// <param name="Load">Device and precision of the models (<c>--device</c>, <c>--dtype</c>); null: float32 on the CPU.</param>
public sealed record EvalModelSource(string ModelDirectory, string? AdapterDirectory, string? HypernetworkDirectory, string? Description, string? Encoder = null, ModelLoadOptions? Load = null);
