using System.ComponentModel.DataAnnotations;
using Text2Lora.Runtime;
using TorchSharp;

namespace Text2Lora.Training.Loop;

/// <summary>Settings every trainer shares (the reference's <c>TrainingArguments</c> names in brackets).</summary>
public sealed class TrainingLoopOptions : IValidatableObject
{
    /// <summary>Folder for checkpoints, metrics, plots and the trained artifact.</summary>
    [Required]
    public string OutputDirectory { get; set; } = "";

    /// <summary>Optimizer steps to run in total (a resumed run counts the steps already done).</summary>
    [Range(1, int.MaxValue)]
    public int MaxSteps { get; set; } = 100;

    /// <summary>Peak learning rate [lr].</summary>
    [Range(0.0, 10.0)]
    public double LearningRate { get; set; } = 1e-4;

    /// <summary>Fraction of steps with linear warmup [warmup_frac].</summary>
    [Range(0.0, 1.0)]
    public double WarmupFraction { get; set; } = 0.1;

    /// <summary>AdamW decoupled weight decay [weight_decay].</summary>
    [Range(0.0, 10.0)]
    public double WeightDecay { get; set; } = 0.01;

    /// <summary>Global gradient-norm clip; 0 disables [max_grad_norm].</summary>
    [Range(0.0, double.MaxValue)]
    public double MaxGradNorm { get; set; } = 1.0;

    /// <summary>Micro-batches whose gradients are summed per optimizer step [grad_accum_steps].</summary>
    [Range(1, 1024)]
    public int GradientAccumulationSteps { get; set; } = 1;

    /// <summary>Seed of every random choice: sampling, initialisation, dropout, noise [seed].</summary>
    public long Seed { get; set; } = 42;

    /// <summary>Write a resumable checkpoint every N steps (and always at the end); 0: only at the end.</summary>
    [Range(0, int.MaxValue)]
    public int CheckpointEvery { get; set; } = 50;

    /// <summary>Validate every N steps (and at the end) when the trainer has validation data; 0: only at the end.</summary>
    [Range(0, int.MaxValue)]
    public int ValidateEvery { get; set; } = 50;

    /// <summary>Stop after this many validations without improvement; 0 disables early stopping.</summary>
    [Range(0, int.MaxValue)]
    public int EarlyStoppingPatience { get; set; }

    /// <summary>
    /// libtorch intra-op threads during the run (process-wide; the previous setting is restored afterwards); 0: leave
    /// libtorch's default. Tiny models are faster on one thread: for them the threads mostly spin-wait, which on a
    /// busy machine measured 10× slower (docs/training.md).
    /// </summary>
    [Range(0, 1024)]
    public int IntraOpThreads { get; set; }

    /// <summary>
    /// Where the run computes: <c>cpu</c> (default), <c>cuda</c> or <c>cuda:N</c> (JSON <c>"device"</c>). The frozen
    /// base model, the trained weights, their optimizer state and every batch live there; nothing moves between host
    /// and device per step.
    /// </summary>
    public string Device { get; set; } = ComputeDevice.Cpu;

    /// <summary><see cref="Device"/> parsed.</summary>
    internal torch.Device TrainingDevice => ComputeDevice.Parse(Device);

    /// <summary>Continue from the output folder's checkpoint instead of starting over.</summary>
    public bool Resume { get; set; }

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(OutputDirectory))
        {
            yield return new ValidationResult("OutputDirectory must name a folder.", [nameof(OutputDirectory)]);
        }

        if (!ComputeDevice.TryParse(Device, out _))
        {
            yield return new ValidationResult($"must be {ComputeDevice.Syntax}; got '{Device}'.", [nameof(Device)]);
        }
    }

    /// <summary>Throws <see cref="ValidationException"/> naming the first invalid field.</summary>
    public void EnsureValid()
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(this, new ValidationContext(this), results, validateAllProperties: true))
        {
            throw new ValidationException(string.Join(" ", results.Select(r => $"{string.Join(", ", r.MemberNames)}: {r.ErrorMessage}")));
        }
    }
}
