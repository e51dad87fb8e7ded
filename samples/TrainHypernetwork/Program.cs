// Trains a T2L hypernetwork by SFT from code (no config file): through the frozen committed tiny base model, on three
// tasks of the repository's task suite, printing progress; Ctrl+C stops cleanly (the last checkpoint resumes with
// Loop.Resume = true). Then generates an adapter with the trained hypernetwork.
//
//   dotnet run --project samples/TrainHypernetwork -- [<steps>] [<output-dir>]
using Microsoft.Extensions.Logging;
using Text2Lora.Abstractions;
using Text2Lora.LoraGeneration;
using Text2Lora.Training.Data;
using Text2Lora.Training.Hypernetworks;
using Text2Lora.Training.Lora;
using Text2Lora.Training.Models;
using Text2Lora.Training.Sft;
using Text2Lora.Samples;

var root = SamplePaths.RepositoryRoot();
var steps = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 20;
var output = args.Length > 1 ? args[1] : Path.Combine(Path.GetTempPath(), "t2l-sample-sft");

var options = new SftTrainerOptions
{
    BaseModel = new BaseModelOptions { Directory = Path.Combine(root, "models/t2l-tiny-base"), Id = "t2l-tiny-base", PromptFormat = PromptFormat.Plain },
    Data = new TaskDataOptions
    {
        TasksDirectory = Path.Combine(root, "data/task-suite"),
        TrainTasks = ["add_one", "reverse_word", "parity"],
        MaxSequenceLength = 64,
    },
    Lora = new LoraAdapterOptions { Rank = 8, Alpha = 16, TargetModules = ["q_proj", "v_proj"] },
    Hypernetwork = new HypernetworkOptions { Size = HypernetworkSize.M, LatentSize = 64, HeadInSize = 128 },
    TasksPerBatch = 4,
    ExamplesPerTask = 4,
    DescriptionsPerTask = 16,
};
options.Loop.OutputDirectory = output;
options.Loop.MaxSteps = steps;
options.Loop.LearningRate = 2e-3;
options.Loop.CheckpointEvery = Math.Max(1, steps / 2);
options.Loop.ValidateEvery = steps;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cancel.Cancel(); };
using var logging = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning));

var trainer = new SftTrainer(options, logger: logging.CreateLogger<SftTrainer>());
var progress = new Progress<TrainingProgress>(p =>
    Console.WriteLine($"step {p.Step,4}/{p.TotalSteps}  loss {p.TrainLoss:F4}  lr {p.LearningRate:E2}  eta {p.EstimatedRemaining:mm\\:ss}"));
var result = await trainer.TrainAsync(progress, cancel.Token);
Console.WriteLine($"Trained {result.Steps} steps: loss {result.FirstTrainLoss:F4} -> {result.FinalTrainLoss:F4}; hypernetwork in {result.ArtifactDirectory}");

using var generator = Text2LoraBuilder.Create().WithHypernetwork(result.ArtifactDirectory).Build();
using var adapter = generator.FromDescription("Add one to the number.");
Console.WriteLine($"Generated a rank-{adapter.Config.R} adapter for {adapter.Modules.Count} modules from the trained hypernetwork.");
return 0;
