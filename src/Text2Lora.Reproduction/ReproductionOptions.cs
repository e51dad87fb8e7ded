using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using Text2Lora.Training.Configuration;

namespace Text2Lora.Reproduction;

/// <summary>
/// The schema of <c>t2l reproduce</c>'s config file (e.g. <c>configs/reproduce/pipeline.json</c>): the task suite, one
/// trainer config file per stage (each also usable on its own with <c>t2l train …</c>), the evaluation settings and where
/// the results and the published artifacts go. Relative paths are relative to the config file. The pipeline overrides
/// each stage config's base model, task lists and output folder, so every stage sees the same suite and the freshly
/// trained base model.
/// </summary>
public sealed class ReproductionOptions : IConfigFilePaths, IValidatableObject
{
    /// <summary>Folder every stage writes into (<c>base/</c>, <c>oracle/&lt;task&gt;/</c>, <c>multitask/</c>, <c>sft/</c>, <c>recon/</c>, <c>results.md</c>).</summary>
    public string OutputDirectory { get; set; } = "";

    /// <summary>Task suite folder (<c>suite.yaml</c>: the training and held-out tasks).</summary>
    public string TaskSuiteDirectory { get; set; } = "";

    /// <summary>Config of the base model (<c>t2l train base</c>).</summary>
    public string BaseModelConfig { get; set; } = "";

    /// <summary>Config of one oracle LoRA (<c>t2l train lora</c>); the pipeline trains one per training task.</summary>
    public string OracleLoraConfig { get; set; } = "";

    /// <summary>Config of the multi-task LoRA (<c>t2l train lora</c>) trained on all training tasks.</summary>
    public string MultiTaskLoraConfig { get; set; } = "";

    /// <summary>Config of the T2L hypernetwork trained by SFT (<c>t2l train sft</c>).</summary>
    public string SftConfig { get; set; } = "";

    /// <summary>Config of the T2L hypernetwork trained by reconstruction of the oracle LoRAs (<c>t2l train recon</c>).</summary>
    public string ReconstructionConfig { get; set; } = "";

    /// <summary>
    /// Device every stage trains and evaluates on (<c>cpu</c>, <c>cuda</c>, <c>cuda:N</c>), overriding each stage config's
    /// <c>loop.device</c>; empty: each stage's own (evaluation: cpu).
    /// </summary>
    public string Device { get; set; } = "";

    /// <summary>
    /// Precision of the frozen base model in the LoRA and SFT stages and the evaluation (<c>float32</c>, <c>bfloat16</c>,
    /// <c>float16</c>), overriding each stage config's <c>baseModel.dtype</c>; empty: each stage's own (evaluation: float32).
    /// </summary>
    [JsonPropertyName("dtype")]
    public string DType { get; set; } = "";

    /// <summary>How the rows of the results table are measured.</summary>
    public ReproductionEvaluationOptions Evaluation { get; set; } = new();

    /// <summary>Where the results table is written (besides <c>results.md</c> in the output folder); empty: nowhere else.</summary>
    public string ResultsFile { get; set; } = "";

    /// <summary>
    /// Folder the final artifacts are copied into (<c>t2l-tiny-base</c>, <c>t2l-tiny-sft</c>, <c>t2l-tiny-recon</c>),
    /// each replacing the previous folder as a whole; empty: not published.
    /// </summary>
    public string PublishDirectory { get; set; } = "";

    /// <inheritdoc />
    public void ResolvePaths(string baseDirectory)
    {
        OutputDirectory = ConfigPaths.Resolve(OutputDirectory, baseDirectory);
        TaskSuiteDirectory = ConfigPaths.Resolve(TaskSuiteDirectory, baseDirectory);
        BaseModelConfig = ConfigPaths.Resolve(BaseModelConfig, baseDirectory);
        OracleLoraConfig = ConfigPaths.Resolve(OracleLoraConfig, baseDirectory);
        MultiTaskLoraConfig = ConfigPaths.Resolve(MultiTaskLoraConfig, baseDirectory);
        SftConfig = ConfigPaths.Resolve(SftConfig, baseDirectory);
        ReconstructionConfig = ConfigPaths.Resolve(ReconstructionConfig, baseDirectory);
        ResultsFile = ConfigPaths.Resolve(ResultsFile, baseDirectory);
        PublishDirectory = ConfigPaths.Resolve(PublishDirectory, baseDirectory);
    }

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (value, name) in new[] { (OutputDirectory, nameof(OutputDirectory)), (TaskSuiteDirectory, nameof(TaskSuiteDirectory)) })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                yield return new ValidationResult($"{JsonName(name)} must name a path.", [name]);
            }
        }

        foreach (var (value, name) in new[]
        {
            (BaseModelConfig, nameof(BaseModelConfig)), (OracleLoraConfig, nameof(OracleLoraConfig)),
            (MultiTaskLoraConfig, nameof(MultiTaskLoraConfig)), (SftConfig, nameof(SftConfig)),
            (ReconstructionConfig, nameof(ReconstructionConfig)),
        })
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                yield return new ValidationResult($"{JsonName(name)} must name a path.", [name]);
            }
            else if (!File.Exists(value))
            {
                yield return new ValidationResult($"{JsonName(name)}: the file '{value}' does not exist.", [name]);
            }
        }

        if (Device.Length > 0 && !Runtime.ComputeDevice.TryParse(Device, out _))
        {
            yield return new ValidationResult($"must be {Runtime.ComputeDevice.Syntax}, or empty for each stage's own; got '{Device}'.", [nameof(Device)]);
        }

        if (DType.Length > 0 && !Models.ModelDType.TryParse(DType, out _))
        {
            yield return new ValidationResult($"must be {string.Join(", ", Models.ModelDType.Names)}, or empty for each stage's own; got '{DType}'.", [nameof(DType)]);
        }

        if (Evaluation is null)
        {
            yield return new ValidationResult("evaluation must be an object.", [nameof(Evaluation)]);
        }
    }

    private static string JsonName(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}
