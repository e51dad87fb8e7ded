using System.ComponentModel.DataAnnotations;
using Text2Lora.Training.Configuration;
using Text2Lora.Training.Encoders;
using Text2Lora.Training.Hypernetworks;
using Text2Lora.Training.Loop;

namespace Text2Lora.Training.Reconstruction;

/// <summary>Options of <see cref="ReconstructionTrainer"/> (the JSON of <c>t2l train recon --config</c>); the reference's names in brackets.</summary>
public sealed class ReconstructionTrainerOptions : IConfigFilePaths, IValidatableObject, IHypernetworkTrainerOptions
{
    /// <summary>The base model folder the adapters belong to; only its <c>config.json</c> (the layer shapes) is read.</summary>
    [Required]
    [MinLength(1)]
    public string BaseModelDirectory { get; set; } = "";

    /// <summary>The library: one PEFT adapter folder per task, named like the task.</summary>
    [Required]
    [MinLength(1)]
    public string AdaptersDirectory { get; set; } = "";

    /// <summary>Task folders whose <c>metadata.yaml</c> give the descriptions.</summary>
    [Required]
    [MinLength(1)]
    public string TasksDirectory { get; set; } = "";

    /// <summary>The tasks of the library (at least two: z-scores need a spread) [train_ds_names].</summary>
    [Required]
    [MinLength(2)]
    public List<string> Tasks { get; set; } = [];

    /// <summary>Size of the hypernetwork.</summary>
    [Required]
    public HypernetworkOptions Hypernetwork { get; set; } = new();

    /// <summary>Predict the factors' z-scores across the library (mean and std are stored in the hypernetwork) [pred_z_score].</summary>
    public bool PredictZScore { get; set; } = true;

    /// <summary>Targets are the factors A and B (true) or ΔW = B·A (false) [factorized].</summary>
    public bool Factorized { get; set; } = true;

    /// <summary>With <see cref="Factorized"/> false: the ΔW target is multiplied by this [delta_w_scaling].</summary>
    [Range(double.Epsilon, double.MaxValue)]
    public double DeltaWScaling { get; set; } = 10000;

    /// <summary>Distance between prediction and target.</summary>
    public ReconstructionLoss Loss { get; set; } = ReconstructionLoss.Mse;

    /// <summary>Tasks per micro-batch; 0: all of them.</summary>
    [Range(0, 4096)]
    public int TasksPerBatch { get; set; }

    /// <summary>A task's description is drawn from its first this-many descriptions; 0: all [n_descs_per_ds].</summary>
    [Range(0, int.MaxValue)]
    public int DescriptionsPerTask { get; set; } = 128;

    /// <summary>
    /// A multi-task LoRA folder (PEFT) whose factors are subtracted from every library adapter's before the targets
    /// are formed, and added back to every generated adapter; null: none [mt_lora_path]. Needs <see cref="Factorized"/>
    /// (the reference subtracts only factorised targets) and the library's modules, rank and scaling.
    /// </summary>
    public string? MultiTaskLoraDirectory { get; set; }

    /// <summary>Optimizer, schedule, checkpoints and output folder.</summary>
    [Required]
    public TrainingLoopOptions Loop { get; set; } = new();

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (PredictZScore && !Factorized)
        {
            yield return new ValidationResult("z-scores of ΔW cannot be turned back into LoRA factors (the reference does not support it either); set factorized to true or predictZScore to false.", [nameof(PredictZScore)]);
        }

        if (MultiTaskLoraDirectory is not null && !Factorized)
        {
            yield return new ValidationResult("a multi-task LoRA is subtracted from factorised targets only (the reference ignores it for ΔW targets); set factorized to true or remove multiTaskLoraDirectory.", [nameof(MultiTaskLoraDirectory)]);
        }

        if (MultiTaskLoraDirectory is { Length: 0 })
        {
            yield return new ValidationResult("must name a folder (or be left out).", [nameof(MultiTaskLoraDirectory)]);
        }

        if (Tasks.Any(string.IsNullOrWhiteSpace) || Tasks.Distinct(StringComparer.Ordinal).Count() != Tasks.Count)
        {
            yield return new ValidationResult("task names must be distinct and non-empty.", [nameof(Tasks)]);
        }
    }

    /// <summary>
    /// The description encoder: missing or null: sentence-transformers/all-MiniLM-L6-v2 (built in); <c>""</c>: the base
    /// model itself (the reference's <c>emb_model: ""</c>); <c>"gte"</c> (= Alibaba-NLP/gte-large-en-v1.5, the released
    /// checkpoints' encoder), a hub id or a folder (relative to the config file or the working directory), chosen by
    /// name as the reference does ("gte" → CLS pooling; "SFR" → instruction template, last-token pooling) [emb_model].
    /// </summary>
    public string? Encoder { get; set; }

    /// <inheritdoc />
    public void ResolvePaths(string baseDirectory)
    {
        BaseModelDirectory = ConfigPaths.ResolveModel(BaseModelDirectory, baseDirectory);
        AdaptersDirectory = ConfigPaths.Resolve(AdaptersDirectory, baseDirectory);
        TasksDirectory = ConfigPaths.Resolve(TasksDirectory, baseDirectory);
        Encoder = TrainingTaskEncoder.ResolvePath(Encoder, baseDirectory);
        MultiTaskLoraDirectory = MultiTaskLoraDirectory is { Length: > 0 } mt ? ConfigPaths.Resolve(mt, baseDirectory) : MultiTaskLoraDirectory;
        // A null section is reported by validation, which runs next.
        Loop?.OutputDirectory = ConfigPaths.Resolve(Loop.OutputDirectory, baseDirectory);
    }
}
