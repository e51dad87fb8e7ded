using Text2Lora.Abstractions;

namespace Text2Lora.Reproduction;

/// <summary>Runs one trainer, showing its progress (the CLI passes its progress bar).</summary>
internal delegate Task<TrainingResult> TrainerRunner(int totalSteps, string title, Func<IProgress<TrainingProgress>, Task<TrainingResult>> run);
