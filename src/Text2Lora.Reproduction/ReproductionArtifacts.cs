namespace Text2Lora.Reproduction;

/// <summary>The trained models the results table compares (folders in the pipeline's output).</summary>
/// <param name="BaseModelDirectory">The base model (Hugging Face folder).</param>
/// <param name="OracleLoraDirectories">Each training task's oracle LoRA (PEFT folder).</param>
/// <param name="MultiTaskLoraDirectory">The multi-task LoRA (PEFT folder).</param>
/// <param name="SftDirectory">The T2L hypernetwork trained by SFT.</param>
/// <param name="ReconstructionDirectory">The T2L hypernetwork trained by reconstruction.</param>
internal sealed record ReproductionArtifacts(
    string BaseModelDirectory,
    IReadOnlyDictionary<string, string> OracleLoraDirectories,
    string MultiTaskLoraDirectory,
    string SftDirectory,
    string ReconstructionDirectory);
