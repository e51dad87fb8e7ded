using System.Text.Json;
using Text2Lora.Abstractions;
using Text2Lora.Models.Llama;
using Text2Lora.Tokenization;
using Text2Lora.Training.Configuration;
using Text2Lora.Tasks;
using Text2Lora.Training.Data;
using Text2Lora.Training.Loop;
using static TorchSharp.torch;

namespace Text2Lora.Training.Pretraining;

/// <summary>
/// Full-parameter language-model training of a base model from scratch on instruction-formatted task examples:
/// each example is a task's input with one of the task's descriptions before it (<see cref="DescribedInput"/>), or
/// with none for a fraction <see cref="BaseModelPretrainingOptions.NoDescriptionFraction"/>, encoded by
/// <see cref="PromptFormatter"/> (BOS + prompt, then the output and EOS) with the loss on the completion only.
/// Micro-batches draw examples uniformly from all tasks' training examples and descriptions uniformly from the
/// task's list, with the run's checkpointed random source. The last
/// <see cref="BaseModelPretrainingOptions.ValidationExamplesPerTask"/> training examples of every task are held out for
/// the validation loss, each once with a fixed description and once without. With a corpus
/// (<see cref="BaseModelPretrainingOptions.CorpusFraction"/> above 0), each sequence is a corpus record with that
/// probability instead (its input as the prompt, loss on its output): generic knowledge that is no task's example.
/// </summary>
internal sealed class BaseModelPretrainingObjective : ITrainingObjective
{
    /// <summary>File in the saved model folder recording the options it was trained with.</summary>
    public const string OptionsFileName = "t2l_pretraining.json";

    private readonly LlamaFamilyModel _model;
    private readonly PromptFormatter _formatter;
    private readonly BaseModelPretrainingOptions _options;
    private readonly IReadOnlyList<TrainingTask> _tasks;
    private readonly List<(int Task, TaskExample Example)> _train = [];
    private readonly List<TokenizedExample> _validation = [];
    private readonly IReadOnlyList<TaskExample> _corpus;
    private readonly int _padTokenId;

    /// <summary>Creates the objective; <paramref name="model"/>'s weights must be trainable (<see cref="LlamaFamilyModel.SetWeightsTrainable"/>).</summary>
    /// <exception cref="ArgumentException">A task has fewer training examples than the validation share plus one, an example is longer than the model's positions, or the options draw from an empty corpus.</exception>
    public BaseModelPretrainingObjective(LlamaFamilyModel model, ITextTokenizer tokenizer, IReadOnlyList<TrainingTask> tasks, BaseModelPretrainingOptions options, IReadOnlyList<TaskExample>? corpus = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(tasks);
        ArgumentNullException.ThrowIfNull(options);
        if (tasks.Count == 0)
        {
            throw new ArgumentException("At least one training task is needed.", nameof(tasks));
        }

        _model = model;
        _formatter = new PromptFormatter(tokenizer, chatTemplate: null);
        _options = options;
        _tasks = tasks;
        _corpus = corpus ?? [];
        if (options.CorpusFraction > 0 && _corpus.Count == 0)
        {
            throw new ArgumentException("corpusFraction is above 0 but the corpus holds no record.", nameof(corpus));
        }

        foreach (var record in _corpus)
        {
            CheckLength(_formatter.Format(record), "a corpus record");
        }

        _padTokenId = PaddingToken.IdFor(model.Info, tokenizer);
        var holdOut = options.ValidationExamplesPerTask;
        for (var t = 0; t < tasks.Count; t++)
        {
            var task = tasks[t];
            if (task.Train.Count <= holdOut)
            {
                throw new ArgumentException($"Task '{task.Name}' has {task.Train.Count} training examples; at least {holdOut + 1} are needed to hold out {holdOut} for validation.", nameof(tasks));
            }

            var trainCount = task.Train.Count - holdOut;
            _train.AddRange(task.Train.Take(trainCount).Select(e => (t, e)));
            for (var j = 0; j < holdOut; j++)
            {
                var example = task.Train[trainCount + j];
                _validation.Add(Tokenize(task, example, task.Descriptions[j % task.Descriptions.Count]));
                _validation.Add(Tokenize(task, example, null));
            }
        }
    }

    /// <summary>Number of examples micro-batches are drawn from.</summary>
    public int TrainingExampleCount => _train.Count;

    /// <summary>Number of validation sequences (each held-out example with and without a description).</summary>
    public int ValidationSequenceCount => _validation.Count;

    /// <inheritdoc />
    public nn.Module TrainableModule => _model.WeightsModule;

    /// <inheritdoc />
    public Tensor ComputeLoss(TrainingStepContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var batch = new List<TokenizedExample>(_options.BatchSize);
        for (var i = 0; i < _options.BatchSize; i++)
        {
            // No draw at all without a corpus, so runs from before the option reproduce bit for bit.
            if (_options.CorpusFraction > 0 && context.Random.NextDouble() < _options.CorpusFraction)
            {
                batch.Add(_formatter.Format(_corpus[context.Random.Next(_corpus.Count)]));
                continue;
            }

            var (taskIndex, example) = _train[context.Random.Next(_train.Count)];
            var task = _tasks[taskIndex];
            var describe = context.Random.NextDouble() >= _options.NoDescriptionFraction;
            var description = task.Descriptions[context.Random.Next(task.Descriptions.Count)];
            batch.Add(Tokenize(task, example, describe ? description : null));
        }

        using var padded = TrainingBatch.Create(batch, _padTokenId, _model.Device);
        return padded.Loss(_model, adapters: null);
    }

    /// <inheritdoc />
    public double? ComputeValidationLoss(CancellationToken cancellationToken)
    {
        if (_validation.Count == 0)
        {
            return null;
        }

        double weightedSum = 0;
        long tokens = 0;
        foreach (var chunk in _validation.Chunk(_options.BatchSize))
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var padded = TrainingBatch.Create(chunk, _padTokenId, _model.Device);
            using var loss = padded.Loss(_model, adapters: null);
            weightedSum += loss.item<float>() * padded.LabelledTokens;
            tokens += padded.LabelledTokens;
        }

        return weightedSum / tokens;
    }

    /// <summary>
    /// Writes the model as a Hugging Face folder (<see cref="LlamaFamilyModel.Save"/>), every file of the tokenizer folder
    /// (tokenizer files, licence, provenance) and <see cref="OptionsFileName"/>.
    /// </summary>
    public void SaveArtifact(string directory)
    {
        _model.Save(directory, _options.Model.InitializerRange);
        foreach (var file in Directory.EnumerateFiles(_options.TokenizerDirectory))
        {
            var bytes = File.ReadAllBytes(file);
            IO.AtomicFile.Write(Path.Combine(directory, Path.GetFileName(file)), stream => stream.Write(bytes));
        }

        TrainerConfigFile.Save(_options, Path.Combine(directory, OptionsFileName));
    }

    private TokenizedExample Tokenize(TrainingTask task, TaskExample example, string? description)
    {
        return CheckLength(_formatter.Format(example with { Input = DescribedInput.Compose(description, example.Input) }), $"an example of task '{task.Name}'");
    }

    private TokenizedExample CheckLength(TokenizedExample tokenized, string what) =>
        tokenized.InputIds.Count <= _model.Config.MaxPositionEmbeddings
            ? tokenized
            : throw new ArgumentException($"{char.ToUpperInvariant(what[0])}{what[1..]} is {tokenized.InputIds.Count} tokens long, more than max_position_embeddings ({_model.Config.MaxPositionEmbeddings}).", nameof(what));
}
