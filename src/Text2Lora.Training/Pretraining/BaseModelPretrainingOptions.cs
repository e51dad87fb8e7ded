using Text2Lora.Training.Configuration;
using System.ComponentModel.DataAnnotations;
using Text2Lora.Training.Loop;

namespace Text2Lora.Training.Pretraining;

/// <summary>
/// Options of <see cref="BaseModelTrainer"/> (the schema of its JSON config file): a Llama-architecture base model
/// trained from scratch, all weights, on instruction-formatted examples of a task suite's training tasks.
/// Relative paths in a config file are resolved against the file's folder, as for the other trainers.
/// </summary>
public sealed class BaseModelPretrainingOptions : IValidatableObject, IConfigFilePaths
{
    /// <summary>Optimizer, schedule, step budget, seed (also the weights' initialisation seed), checkpoints, output folder.</summary>
    [Required]
    public TrainingLoopOptions Loop { get; set; } = new();

    /// <summary>The model's shape.</summary>
    [Required]
    public BaseModelArchitecture Model { get; set; } = new();

    /// <summary>Task suite folder (<c>suite.yaml</c> plus one folder per task).</summary>
    [Required]
    public string TaskSuiteDirectory { get; set; } = "data/task-suite";

    /// <summary>Tasks to train on; empty: the <c>train:</c> list of <c>suite.yaml</c> (held-out tasks are never used).</summary>
    public List<string> Tasks { get; set; } = [];

    /// <summary>
    /// Folder with the tokenizer files (<c>tokenizer.model</c>, <c>tokenizer_config.json</c>, …). Every file in it,
    /// licence and provenance notes included, is copied into the trained model folder.
    /// </summary>
    [Required]
    public string TokenizerDirectory { get; set; } = "data/tokenizers/stories260k";

    /// <summary>Examples per micro-batch.</summary>
    [Range(1, 65536)]
    public int BatchSize { get; set; } = 32;

    /// <summary>Fraction of training examples shown without a description (input only), so the input-only prompt is a real baseline.</summary>
    [Range(0.0, 1.0)]
    public double NoDescriptionFraction { get; set; } = 0.25;

    /// <summary>
    /// Generic pretraining corpus files (JSON lines of <c>{"input", "output"}</c>, no description; relative paths are
    /// resolved against the config's folder). Empty: the suite's <c>pretraining:</c> files (<see cref="Text2Lora.Tasks.TaskSuiteManifest.Pretraining"/>)
    /// when <see cref="CorpusFraction"/> is above zero. Their records must not be examples of held-out tasks (the leakage rule of docs/reproduction.md).
    /// </summary>
    public List<string> CorpusFiles { get; set; } = [];

    /// <summary>
    /// Share of the sequences of each micro-batch drawn from the corpus records (prompt = the record's input, loss on its
    /// output, as the input-only task examples); 0 (the default) reads no corpus and draws exactly the random numbers of a
    /// run without this option, so older runs reproduce.
    /// </summary>
    [Range(0.0, 1.0)]
    public double CorpusFraction { get; set; }

    /// <summary>Last examples of each task's train split kept out of training for the validation loss (never the test split).</summary>
    [Range(0, 100000)]
    public int ValidationExamplesPerTask { get; set; } = 8;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(TaskSuiteDirectory))
        {
            yield return new ValidationResult("taskSuiteDirectory must name a folder.", [nameof(TaskSuiteDirectory)]);
        }

        if (CorpusFiles is null)
        {
            yield return new ValidationResult("corpusFiles must be a list (it may be empty).", [nameof(CorpusFiles)]);
        }
        else if (CorpusFiles.Count > 0 && CorpusFraction == 0)
        {
            yield return new ValidationResult("corpusFiles are given but corpusFraction is 0, so they would not be read; set corpusFraction above 0 or remove corpusFiles.", [nameof(CorpusFraction)]);
        }

        if (string.IsNullOrWhiteSpace(TokenizerDirectory))
        {
            yield return new ValidationResult("tokenizerDirectory must name a folder.", [nameof(TokenizerDirectory)]);
        }
    }

    /// <inheritdoc />
    public void ResolvePaths(string baseDirectory)
    {
        // Null sections are reported by validation, which runs next.
        TaskSuiteDirectory = ConfigPaths.Resolve(TaskSuiteDirectory, baseDirectory);
        TokenizerDirectory = ConfigPaths.Resolve(TokenizerDirectory, baseDirectory);
        CorpusFiles = CorpusFiles?.Select(f => ConfigPaths.Resolve(f, baseDirectory)).ToList()!;
        Loop?.OutputDirectory = ConfigPaths.Resolve(Loop.OutputDirectory, baseDirectory);
    }
}
