namespace Text2Lora.Reproduction;

/// <summary>What a pipeline run wrote: the results document and its summary table (both Markdown).</summary>
/// <param name="Results">The whole results document (<c>results.md</c>).</param>
/// <param name="Summary">Its summary table.</param>
public sealed record ReproductionOutcome(string Results, string Summary);
