namespace Text2Lora.Training.Checkpoints;

/// <summary>The non-tensor state of a run, saved as <c>trainer_state.json</c> in each checkpoint.</summary>
/// <param name="Step">Optimizer steps done.</param>
/// <param name="MaxSteps">The step budget when the checkpoint was written.</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="RandomState">State of the run's <see cref="Loop.TrainingRandom"/>.</param>
/// <param name="TorchRngState">Base64 of the global torch generator state (dropout, noise).</param>
/// <param name="FirstTrainLoss">Training loss of step 1.</param>
/// <param name="BestValidationLoss">Best validation loss so far.</param>
/// <param name="BestStep">Step of the best validation loss.</param>
/// <param name="ValidationsWithoutImprovement">Validations since the best one (early stopping).</param>
internal sealed record TrainerState(
    int Step,
    int MaxSteps,
    long Seed,
    ulong[] RandomState,
    string TorchRngState,
    double? FirstTrainLoss,
    double? BestValidationLoss,
    int? BestStep,
    int ValidationsWithoutImprovement);
