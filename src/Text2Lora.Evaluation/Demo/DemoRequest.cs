using Text2Lora.Models.Llama;

namespace Text2Lora.Evaluation.Demo;

/// <summary>What <see cref="DescriptionDemo"/> runs (the options of <c>t2l demo</c>).</summary>
/// <param name="Description">The task, in plain language.</param>
/// <param name="Inputs">The inputs to answer.</param>
/// <param name="ModelDirectory">Base model folder.</param>
/// <param name="HypernetworkDirectory">Hypernetwork folder.</param>
/// <param name="SaveAdapterDirectory">Where the generated adapter is saved as a PEFT folder; null: not saved.</param>
/// <param name="MaxNewTokens">Most tokens per answer.</param>
/// <param name="Encoder">Overrides the description encoder the checkpoint names (folder or id), if given.</param>
/// <param name="Load">Device and precision of the base model and hypernetwork (<c>--device</c>, <c>--dtype</c>); null: float32 on the CPU.</param>
public sealed record DemoRequest(string Description, IReadOnlyList<string> Inputs, string ModelDirectory, string HypernetworkDirectory, string? SaveAdapterDirectory, int MaxNewTokens, string? Encoder = null, ModelLoadOptions? Load = null);
