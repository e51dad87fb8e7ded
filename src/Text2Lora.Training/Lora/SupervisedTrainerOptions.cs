using System.ComponentModel.DataAnnotations;
using Text2Lora.Training.Configuration;
using Text2Lora.Training.Data;
using Text2Lora.Training.Loop;
using Text2Lora.Training.Models;

namespace Text2Lora.Training.Lora;

/// <summary>
/// What every supervised trainer of LoRA weights reads from its config — the LoRA trainer (<see cref="LoraTrainerOptions"/>)
/// and the SFT hypernetwork trainer: the frozen base model, the task data, the adapter's shape and the loop.
/// </summary>
public abstract class SupervisedTrainerOptions : IConfigFilePaths
{
    /// <summary>The frozen base model.</summary>
    [Required]
    public BaseModelOptions BaseModel { get; set; } = new();

    /// <summary>Training tasks, and the (held-out) tasks whose test split gives the validation loss.</summary>
    [Required]
    public TaskDataOptions Data { get; set; } = new();

    /// <summary>Rank, alpha, LoRA dropout and target modules of the (generated) adapters.</summary>
    [Required]
    public LoraAdapterOptions Lora { get; set; } = new();

    /// <summary>Optimizer, schedule, checkpoints, validation and output folder.</summary>
    [Required]
    public TrainingLoopOptions Loop { get; set; } = new();

    /// <inheritdoc />
    public virtual void ResolvePaths(string baseDirectory)
    {
        // Null sections are reported by validation, which runs next.
        BaseModel?.Directory = ConfigPaths.ResolveModel(BaseModel.Directory, baseDirectory);
        Data?.TasksDirectory = ConfigPaths.Resolve(Data.TasksDirectory, baseDirectory);
        Loop?.OutputDirectory = ConfigPaths.Resolve(Loop.OutputDirectory, baseDirectory);
    }
}
