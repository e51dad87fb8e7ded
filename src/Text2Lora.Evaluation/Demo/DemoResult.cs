namespace Text2Lora.Evaluation.Demo;

/// <summary>What <see cref="DescriptionDemo"/> did: the answers and where the time went.</summary>
/// <param name="Rows">One row per input, in input order.</param>
/// <param name="Load">Loading the base model, hypernetwork and encoder.</param>
/// <param name="AdapterGeneration">Generating the adapter from the description.</param>
/// <param name="Answering">Answering every input three ways.</param>
/// <param name="AdapterParameters">LoRA parameters of the generated adapter.</param>
public sealed record DemoResult(IReadOnlyList<DemoRow> Rows, TimeSpan Load, TimeSpan AdapterGeneration, TimeSpan Answering, int AdapterParameters);
