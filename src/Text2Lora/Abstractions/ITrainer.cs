namespace Text2Lora.Abstractions;

/// <summary>
/// A trainer (T2L by SFT, T2L by reconstruction, plain LoRA): runs to its step budget, writing resumable
/// checkpoints, metrics and the trained artifact into its output folder.
/// </summary>
public interface ITrainer
{
    /// <summary>
    /// Trains (resuming from the output folder's checkpoint when asked to by the trainer's options).
    /// Cancellation stops cleanly after a checkpoint is written, then throws <see cref="OperationCanceledException"/>.
    /// </summary>
    Task<TrainingResult> TrainAsync(IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default);
}

/// <summary>One progress report of a training run.</summary>
/// <param name="Step">Optimizer steps done.</param>
/// <param name="TotalSteps">Step budget.</param>
/// <param name="TrainLoss">Mean training loss of the last step.</param>
/// <param name="LearningRate">Learning rate used for the last step.</param>
/// <param name="ValidationLoss">Latest validation loss, if validation ran.</param>
/// <param name="Elapsed">Wall time of this run so far.</param>
/// <param name="EstimatedRemaining">Estimated time to the end of the budget.</param>
public sealed record TrainingProgress(int Step, int TotalSteps, double TrainLoss, double LearningRate, double? ValidationLoss, TimeSpan Elapsed, TimeSpan EstimatedRemaining);

/// <summary>What a finished training run produced.</summary>
/// <param name="OutputDirectory">The run's folder.</param>
/// <param name="ArtifactDirectory">The trained artifact (PEFT adapter or hypernetwork folder).</param>
/// <param name="Steps">Optimizer steps done in total (including resumed ones).</param>
/// <param name="FirstTrainLoss">Training loss of step 1.</param>
/// <param name="FinalTrainLoss">Training loss of the last step.</param>
/// <param name="BestValidationLoss">Best validation loss seen, if validation ran.</param>
/// <param name="StoppedEarly">Whether early stopping ended the run before its budget.</param>
public sealed record TrainingResult(string OutputDirectory, string ArtifactDirectory, int Steps, double FirstTrainLoss, double FinalTrainLoss, double? BestValidationLoss, bool StoppedEarly);
