using System.ComponentModel.DataAnnotations;
using Text2Lora.Abstractions;
using Text2Lora.Training.Encoders;
using Text2Lora.Training.Hypernetworks;
using Text2Lora.Training.Lora;

namespace Text2Lora.Training.Sft;

/// <summary>Options of <see cref="SftTrainer"/> (the JSON of <c>t2l train sft --config</c>); the reference's names in brackets.</summary>
public sealed class SftTrainerOptions : SupervisedTrainerOptions, IHypernetworkTrainerOptions
{
    /// <summary>Size of the hypernetwork.</summary>
    [Required]
    public HypernetworkOptions Hypernetwork { get; set; } = new();

    /// <summary>Tasks sampled per micro-batch (fewer when there are fewer training tasks) [n_tasks_per_batch].</summary>
    [Range(1, 4096)]
    public int TasksPerBatch { get; set; } = 4;

    /// <summary>Examples per sampled task [n_points_per_task].</summary>
    [Range(1, 4096)]
    public int ExamplesPerTask { get; set; } = 1;

    /// <summary>A task's description is drawn from its first this-many descriptions; 0: all [n_descs_per_ds].</summary>
    [Range(0, int.MaxValue)]
    public int DescriptionsPerTask { get; set; } = 128;

    /// <summary>Label smoothing ε of the training loss [label_smoothing].</summary>
    [Range(0.0, 0.99)]
    public double LabelSmoothing { get; set; } = 0.1;

    /// <summary>
    /// How the completion cross-entropy of a batch is averaged (training and validation) [equally_weight_sample]:
    /// <c>sampleMean</c> (default, the reference's <c>equally_weight_sample: true</c>) takes each sequence's mean over
    /// its completion tokens, then the mean over sequences, so a short answer weighs as much as a long one;
    /// <c>tokenMean</c> (<c>equally_weight_sample: false</c>) averages over all completion tokens of the batch.
    /// </summary>
    [EnumDataType(typeof(LossReduction))]
    public LossReduction LossReduction { get; set; } = LossReduction.SampleMean;

    /// <summary>NEFTune noise α on the input embeddings during training; 0: off [neftune_noise_alpha].</summary>
    [Range(0.0, 1000.0)]
    public double NeftuneNoiseAlpha { get; set; } = 5;

    /// <summary>Weight of the L2 penalty Σ_modules (mean A² + mean B²) on the generated factors [l2_reg_generated_w].</summary>
    [Range(0.0, 1e6)]
    public double L2RegGeneratedWeights { get; set; } = 1e-3;

    /// <summary>
    /// The description encoder: missing or null: sentence-transformers/all-MiniLM-L6-v2 (built in); <c>""</c>: the base
    /// model itself (the reference's <c>emb_model: ""</c>); <c>"gte"</c> (= Alibaba-NLP/gte-large-en-v1.5, the released
    /// checkpoints' encoder), a hub id or a folder (relative to the config file or the working directory), chosen by
    /// name as the reference does ("gte" → CLS pooling; "SFR" → instruction template, last-token pooling) [emb_model].
    /// </summary>
    public string? Encoder { get; set; }

    /// <inheritdoc />
    public override void ResolvePaths(string baseDirectory)
    {
        base.ResolvePaths(baseDirectory);
        Encoder = TrainingTaskEncoder.ResolvePath(Encoder, baseDirectory);
    }
}
