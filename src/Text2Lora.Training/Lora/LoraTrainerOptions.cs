using System.ComponentModel.DataAnnotations;
using Text2Lora.Training.Configuration;
using Text2Lora.Training.Data;
using Text2Lora.Training.Loop;
using Text2Lora.Training.Models;

namespace Text2Lora.Training.Lora;

/// <summary>
/// Options of <see cref="LoraTrainer"/> (the JSON of <c>t2l train lora --config</c>). One training task gives an
/// oracle (task-specific) adapter; several give the paper's multi-task LoRA baseline.
/// </summary>
public sealed class LoraTrainerOptions : IConfigFilePaths
{
    /// <summary>The frozen base model.</summary>
    [Required]
    public BaseModelOptions BaseModel { get; set; } = new();

    /// <summary>Tasks to train and validate on.</summary>
    [Required]
    public TaskDataOptions Data { get; set; } = new();

    /// <summary>Rank, alpha, dropout and target modules of the adapter.</summary>
    [Required]
    public LoraAdapterOptions Lora { get; set; } = new();

    /// <summary>Examples per micro-batch, each drawn from a uniformly chosen training task.</summary>
    [Range(1, 4096)]
    public int BatchSize { get; set; } = 8;

    /// <summary>Label smoothing ε of the training loss [label_smoothing].</summary>
    [Range(0.0, 0.99)]
    public double LabelSmoothing { get; set; }

    /// <summary>NEFTune noise α on the input embeddings during training; 0: off [neftune_noise_alpha].</summary>
    [Range(0.0, 1000.0)]
    public double NeftuneNoiseAlpha { get; set; }

    /// <summary>Optimizer, schedule, checkpoints, validation and output folder.</summary>
    [Required]
    public TrainingLoopOptions Loop { get; set; } = new();

    /// <inheritdoc />
    public void ResolvePaths(string baseDirectory)
    {
        // Null sections are reported by validation, which runs next.
        BaseModel?.Directory = ConfigPaths.ResolveModel(BaseModel.Directory, baseDirectory);
        Data?.TasksDirectory = ConfigPaths.Resolve(Data.TasksDirectory, baseDirectory);
        Loop?.OutputDirectory = ConfigPaths.Resolve(Loop.OutputDirectory, baseDirectory);
    }
}
