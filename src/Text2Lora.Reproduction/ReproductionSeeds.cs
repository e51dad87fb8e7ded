namespace Text2Lora.Reproduction;

/// <summary>The seeds of a pipeline run, as its configs set them.</summary>
internal sealed record ReproductionSeeds(long BaseModel, long OracleLora, long MultiTaskLora, long Sft, long Reconstruction, int Controls);
