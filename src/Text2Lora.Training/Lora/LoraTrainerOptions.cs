using System.ComponentModel.DataAnnotations;

namespace Text2Lora.Training.Lora;

/// <summary>
/// Options of <see cref="LoraTrainer"/> (the JSON of <c>t2l train lora --config</c>). One training task gives an
/// oracle (task-specific) adapter; several give the paper's multi-task LoRA baseline.
/// </summary>
public sealed class LoraTrainerOptions : SupervisedTrainerOptions
{
    /// <summary>Examples per micro-batch, each drawn from a uniformly chosen training task.</summary>
    [Range(1, 4096)]
    public int BatchSize { get; set; } = 8;

    /// <summary>Label smoothing ε of the training loss [label_smoothing].</summary>
    [Range(0.0, 0.99)]
    public double LabelSmoothing { get; set; }

    /// <summary>NEFTune noise α on the input embeddings during training; 0: off [neftune_noise_alpha].</summary>
    [Range(0.0, 1000.0)]
    public double NeftuneNoiseAlpha { get; set; }
}
