using Text2Lora.Training.Loop;

namespace Text2Lora.Training.Hypernetworks;

/// <summary>What every hypernetwork trainer's options name besides their objective: the description encoder and the loop.</summary>
public interface IHypernetworkTrainerOptions
{
    /// <summary>The description encoder as the config names it (see <see cref="Encoders.TrainingTaskEncoder.Choose"/>); null: MiniLM.</summary>
    string? Encoder { get; }

    /// <summary>Optimizer, schedule, checkpoints and output folder.</summary>
    TrainingLoopOptions Loop { get; }
}
