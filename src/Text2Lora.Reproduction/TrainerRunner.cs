using Text2Lora.Abstractions;

namespace Text2Lora.Reproduction;

/// <summary>
/// Runs one trainer of the pipeline: calls <paramref name="run"/> with the progress sink that should see its steps
/// (the CLI passes a progress bar per stage) and returns its result.
/// </summary>
/// <param name="totalSteps">The trainer's step count.</param>
/// <param name="title">The stage's title, e.g. <c>oracle LoRA 1/3 add_one</c>.</param>
/// <param name="run">Starts the trainer with a progress sink.</param>
public delegate Task<TrainingResult> TrainerRunner(int totalSteps, string title, Func<IProgress<TrainingProgress>, Task<TrainingResult>> run);
