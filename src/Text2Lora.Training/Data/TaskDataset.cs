using Text2Lora.Tasks;

namespace Text2Lora.Training.Data;

/// <summary>
/// The tasks of a training run, read and tokenized up front, so that a bad folder or line fails before any output
/// is written: training tasks (their <c>train.jsonl</c>) and validation tasks (their <c>test.jsonl</c>).
/// </summary>
/// <param name="Train">Training tasks with their training examples.</param>
/// <param name="Validation">Validation tasks with their held-out examples (empty when none have a test split).</param>
public sealed record TaskDataset(IReadOnlyList<TokenizedTask> Train, IReadOnlyList<TokenizedTask> Validation)
{
    /// <summary>Reads and tokenizes the tasks named in <paramref name="options"/>.</summary>
    /// <exception cref="TaskDataFormatException">A task folder or file is missing or malformed, or has no examples; names the file (and line).</exception>
    public static TaskDataset Load(TaskDataOptions options, PromptFormatter formatter)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(formatter);
        var train = options.TrainTasks.Select(name =>
        {
            var task = TaskFolderReader.ReadTask(Path.Combine(options.TasksDirectory, name));
            var examples = options.MaxTrainExamplesPerTask > 0 ? task.Train.Take(options.MaxTrainExamplesPerTask) : task.Train;
            return Tokenize(task, examples, Path.Combine(options.TasksDirectory, name, TaskFolderReader.TrainFileName), formatter, options.MaxSequenceLength);
        }).ToList();

        var validationNames = options.ValidationTasks.Count > 0 ? options.ValidationTasks : options.TrainTasks;
        var validation = new List<TokenizedTask>();
        foreach (var name in validationNames)
        {
            var directory = Path.Combine(options.TasksDirectory, name);
            var task = TaskFolderReader.ReadTask(directory);
            if (task.Test.Count == 0)
            {
                if (options.ValidationTasks.Count > 0)
                {
                    throw new TaskDataFormatException(Path.Combine(directory, TaskFolderReader.TestFileName), "a validation task needs held-out examples");
                }

                continue;
            }

            validation.Add(Tokenize(task, task.Test.Take(options.ValidationExamplesPerTask), Path.Combine(directory, TaskFolderReader.TestFileName), formatter, options.MaxSequenceLength));
        }

        return new TaskDataset(train, validation);
    }

    private static TokenizedTask Tokenize(TrainingTask task, IEnumerable<TaskExample> examples, string file, PromptFormatter formatter, int maxLength)
    {
        var tokenized = examples.Select(e => Truncate(formatter.Format(e), maxLength)).ToList();
        if (tokenized.Count == 0)
        {
            throw new TaskDataFormatException(file, "the file has no examples");
        }

        return new TokenizedTask(task.Name, task.Descriptions, tokenized);
    }

    /// <summary>Drops prompt tokens from the start until the example fits; a completion longer than the limit loses its end.</summary>
    private static TokenizedExample Truncate(TokenizedExample example, int maxLength)
    {
        var excess = example.InputIds.Count - maxLength;
        if (excess <= 0)
        {
            return example;
        }

        var prompt = example.Labels.TakeWhile(l => l == TokenizedExample.IgnoreIndex).Count();
        var drop = Math.Min(excess, prompt);
        return new TokenizedExample(
            example.InputIds.Skip(drop).Take(maxLength).ToArray(),
            example.Labels.Skip(drop).Take(maxLength).ToArray());
    }
}
