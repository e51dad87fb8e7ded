using System.ComponentModel.DataAnnotations;
using Text2Lora.Tasks;

namespace Text2Lora.Training.Data;

/// <summary>Which task folders a trainer reads (see <see cref="TaskFolderReader"/>) and how examples are cut.</summary>
public sealed class TaskDataOptions : IValidatableObject
{
    /// <summary>Folder holding one sub-folder per task (relative paths in a config file are relative to the file).</summary>
    [Required]
    [MinLength(1)]
    public string TasksDirectory { get; set; } = "";

    /// <summary>Task folder names to train on.</summary>
    [Required]
    [MinLength(1)]
    public List<string> TrainTasks { get; set; } = [];

    /// <summary>
    /// Task folder names whose <c>test.jsonl</c> gives the validation loss (the SFT trainer also uses their
    /// descriptions: held-out tasks). Empty: the training tasks' own <c>test.jsonl</c>.
    /// </summary>
    public List<string> ValidationTasks { get; set; } = [];

    /// <summary>Longest tokenized example; longer prompts lose their beginning (the completion is kept).</summary>
    [Range(2, 1 << 20)]
    public int MaxSequenceLength { get; set; } = 256;

    /// <summary>Use at most this many training examples per task (the file's first ones); 0: all.</summary>
    [Range(0, int.MaxValue)]
    public int MaxTrainExamplesPerTask { get; set; }

    /// <summary>Validation examples per validation task (the file's first ones).</summary>
    [Range(1, int.MaxValue)]
    public int ValidationExamplesPerTask { get; set; } = 16;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (list, field) in new[] { (TrainTasks, nameof(TrainTasks)), (ValidationTasks, nameof(ValidationTasks)) })
        {
            if (list.Any(string.IsNullOrWhiteSpace))
            {
                yield return new ValidationResult("task names must not be empty.", [field]);
            }

            if (list.Distinct(StringComparer.Ordinal).Count() != list.Count)
            {
                yield return new ValidationResult("task names must be distinct.", [field]);
            }
        }
    }
}
