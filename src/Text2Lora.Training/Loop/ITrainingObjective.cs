using static TorchSharp.torch;

namespace Text2Lora.Training.Loop;

/// <summary>
/// What a trainer contributes to the shared <see cref="TrainingLoop"/>: the trainable module, the loss of
/// one micro-batch, validation, and how to save the trained artifact. Everything else (optimizer,
/// schedule, clipping, accumulation, checkpoints, resume, metrics, progress) is the loop's.
/// </summary>
public interface ITrainingObjective
{
    /// <summary>The module whose parameters with <c>requires_grad</c> are trained and checkpointed.</summary>
    nn.Module TrainableModule { get; }

    /// <summary>
    /// The loss of one micro-batch (a scalar with autograd). Draw all randomness from
    /// <paramref name="context"/> or the global torch generator, whose states are checkpointed.
    /// </summary>
    Tensor ComputeLoss(TrainingStepContext context);

    /// <summary>Mean loss on held-out data, or null when the objective has none. Runs under no_grad.</summary>
    double? ComputeValidationLoss(CancellationToken cancellationToken);

    /// <summary>Writes the trained artifact (a PEFT adapter folder, a hypernetwork folder) to <paramref name="directory"/>.</summary>
    void SaveArtifact(string directory);
}

/// <summary>What a micro-batch computation may use.</summary>
/// <param name="Step">0-based optimizer step.</param>
/// <param name="MicroStep">0-based micro-batch within the step.</param>
/// <param name="Random">The run's checkpointed random source for sampling.</param>
public sealed record TrainingStepContext(int Step, int MicroStep, TrainingRandom Random);
