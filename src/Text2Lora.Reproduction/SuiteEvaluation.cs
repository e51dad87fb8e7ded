using Text2Lora.LoraGeneration;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Text2Lora.Abstractions;
using Text2Lora.Encoders;
using Text2Lora.Evaluation.TaskSuite;
using Text2Lora.Hypernetworks.Checkpoints;
using Text2Lora.IO;
using Text2Lora.IO.Peft;
using Text2Lora.Lora;
using Text2Lora.Models.Llama;
using Text2Lora.Tokenization;
using Text2Lora.Tasks;
using static TorchSharp.torch;

namespace Text2Lora.Reproduction;

/// <summary>
/// Measures every <see cref="ResultRow"/> on the first test examples of every task: greedy generation through the
/// base model (<see cref="TaskSuiteAnswering"/>), each prompt with its row's adapter. Test item i of a task is asked with
/// description i mod (number of descriptions), in the prompt (base + description) or turned into an adapter (T2L rows),
/// so every description of the task is used and held-out tasks are asked only with their own, never-trained wording.
/// Every answer is written to a JSONL file.
/// </summary>
internal sealed class SuiteEvaluation(ReproductionEvaluationOptions options, ILoggerFactory loggerFactory, ModelLoadOptions? load = null)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<SuiteEvaluation>();

    /// <summary>Scores every row; writes each answer to <paramref name="answersFile"/>.</summary>
    public async Task<IReadOnlyList<TaskAccuracy>> RunAsync(
        ReproductionArtifacts artifacts, IReadOnlyList<TrainingTask> train, IReadOnlyList<TrainingTask> heldout, string answersFile, CancellationToken cancellationToken)
    {
        using var model = LlamaFamilyModel.Load(artifacts.BaseModelDirectory, load, logger: loggerFactory.CreateLogger<LlamaFamilyModel>(), cancellationToken: cancellationToken);
        var tokenizer = TokenizerLoader.Load(artifacts.BaseModelDirectory);
        var tasks = train.Concat(heldout).ToList();
        var heldoutNames = heldout.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var controls = new ControlDescriptions(tasks, train, options.ControlSeed);
        var cells = new List<TaskAccuracy>();
        var answers = new StringBuilder();

        void Score(ResultRow row, IReadOnlyList<TaskSuitePrompt> prompts)
        {
            var started = DateTime.UtcNow;
            var scored = TaskSuiteAnswering.Answer(model, tokenizer, prompts, options.BatchSize, options.MaxNewTokens, cancellationToken: cancellationToken);
            foreach (var group in scored.GroupBy(a => a.Prompt.Task))
            {
                cells.Add(new TaskAccuracy(row.Key, group.Key, heldoutNames.Contains(group.Key) ? TaskGroup.Interpolation : TaskGroup.Train, group.Count(a => a.Correct), group.Count()));
            }

            foreach (var answer in scored)
            {
                answers.AppendLine(JsonSerializer.Serialize(new
                {
                    row = row.Key,
                    task = answer.Prompt.Task,
                    index = answer.Prompt.ExampleIndex,
                    description = answer.Prompt.Description,
                    prompt = answer.Prompt.PromptText,
                    expected = answer.Prompt.Expected,
                    generated = answer.Generated,
                    correct = answer.Correct,
                }));
            }

            _logger.LogInformation("{Row}: {Correct}/{Total} correct ({Seconds:F1} s)", row.Title, scored.Count(a => a.Correct), scored.Count, (DateTime.UtcNow - started).TotalSeconds);
        }

        IEnumerable<(TrainingTask Task, int Index, TaskExample Example)> Items(IEnumerable<TrainingTask> of) =>
            of.SelectMany(task => task.Test.Take(options.ExamplesPerTask).Select((example, i) => (task, i, example)));

        TaskSuitePrompt Plain((TrainingTask Task, int Index, TaskExample Example) item, LoraAdapter? adapter = null, string? description = null) =>
            new(item.Task.Name, item.Index, item.Example.Input, item.Example.Output, item.Task.Scoring ?? TaskScoring.Exact, adapter, description);

        static string Described(TrainingTask task, int index) => task.Descriptions[index % task.Descriptions.Count];

        Score(ResultRow.Base, Items(tasks).Select(item => Plain(item)).ToList());
        Score(ResultRow.BaseWithDescription, Items(tasks).Select(item =>
        {
            var description = Described(item.Task, item.Index);
            return Plain(item, description: description) with { PromptText = DescribedInput.Compose(description, item.Example.Input) };
        }).ToList());

        using (var multiTask = PeftAdapterFolder.Load(artifacts.MultiTaskLoraDirectory))
        {
            Score(ResultRow.MultiTaskLora, Items(tasks).Select(item => Plain(item, multiTask)).ToList());
        }

        var oracles = train.ToDictionary(t => t.Name, t => PeftAdapterFolder.Load(artifacts.OracleLoraDirectories[t.Name]), StringComparer.Ordinal);
        try
        {
            Score(ResultRow.OracleLora, Items(train).Select(item => Plain(item, oracles[item.Task.Name])).ToList());
        }
        finally
        {
            foreach (var adapter in oracles.Values)
            {
                adapter.Dispose();
            }
        }

        using var miniLm = new MiniLmTaskEncoder(loggerFactory.CreateLogger<MiniLmTaskEncoder>());
        using var encoder = new CachingTaskEncoder(miniLm, capacity: 1 << 16);
        var loader = new HypernetworkLoader();
        foreach (var (directory, real, unrelated, random) in new[]
        {
            (artifacts.SftDirectory, ResultRow.T2lSft, ResultRow.T2lSftUnrelated, ResultRow.T2lSftRandom),
            (artifacts.ReconstructionDirectory, ResultRow.T2lReconstruction, ResultRow.T2lReconstructionUnrelated, ResultRow.T2lReconstructionRandom),
        })
        {
            using var hypernetwork = loader.Load(directory, artifacts.BaseModelDirectory, model.Device, model.DType, cancellationToken);
            using var generator = Text2LoraBuilder.Create().WithHypernetwork(hypernetwork).WithTaskEncoder(encoder).WithEmbeddingCache(0).WithLoggerFactory(loggerFactory).Build();
            foreach (var (row, describe) in new (ResultRow, Func<TrainingTask, int, string>)[]
            {
                (real, Described),
                (unrelated, (task, index) => controls.Unrelated(task.Name, index)),
                (random, (task, index) => controls.Random(task.Name, index)),
            })
            {
                var items = Items(tasks).Select(item => (Item: item, Description: describe(item.Task, item.Index))).ToList();
                var distinct = items.Select(i => i.Description).Distinct(StringComparer.Ordinal).ToList();
                var adapters = await generator.FromDescriptionsAsync(distinct, cancellationToken).ConfigureAwait(false);
                try
                {
                    var byDescription = distinct.Zip(adapters).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
                    Score(row, items.Select(i => Plain(i.Item, byDescription[i.Description], i.Description)).ToList());
                }
                finally
                {
                    foreach (var adapter in adapters)
                    {
                        adapter.Dispose();
                    }
                }
            }
        }

        AtomicFile.WriteAllText(answersFile, answers.ToString());
        return cells;
    }
}
