using Text2Lora.IO;

namespace Text2Lora.Training.Checkpoints;

/// <summary>
/// A training checkpoint file (<c>trainer_state.json</c>, <c>optimizer.bin</c>, <c>weights.safetensors</c>) is damaged or
/// does not fit the model being trained. Names the file and says how to recover; the damaged checkpoint is left in place.
/// </summary>
public sealed class TrainingCheckpointException : InvalidFileFormatException
{
    /// <summary>What to do about a damaged checkpoint, appended to every message.</summary>
    public const string Recovery =
        "Restore the checkpoint folder from a copy, or start the run again without --resume (with --overwrite to move this run aside, or into a new --output).";

    /// <summary>Creates the exception.</summary>
    public TrainingCheckpointException(string path, string? field, string problem, Exception? innerException = null)
        : base(path, field, null, $"Damaged training checkpoint file '{path}'{(field is null ? "" : $" ('{field}')")}: {problem} {Recovery}", innerException)
    {
    }
}
