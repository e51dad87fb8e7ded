using Text2Lora.Abstractions;

namespace Text2Lora.Reproduction;

/// <summary>One training step of one pipeline stage (<see cref="ReproductionPipeline.RunAsync(ReproductionOptions, IProgress{ReproductionProgress}?, bool, Microsoft.Extensions.Logging.ILoggerFactory?, CancellationToken)"/>).</summary>
/// <param name="Stage">The stage's title, e.g. <c>oracle LoRA 1/3 add_one</c>.</param>
/// <param name="TotalSteps">The stage's step count.</param>
/// <param name="Training">The trainer's report.</param>
public sealed record ReproductionProgress(string Stage, int TotalSteps, TrainingProgress Training);
