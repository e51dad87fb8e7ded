using System.Globalization;
using Text2Lora.Bench;
using Text2Lora.Encoders;
using Text2Lora.Models.Llama;
using Text2Lora.Tokenization;
using Text2Lora.Tasks;
using Text2Lora.Training.Data;
using Text2Lora.Training.Hypernetworks;
using Text2Lora.Training.Lora;
using Text2Lora.Training.Loop;
using Text2Lora.Training.Metrics;
using Text2Lora.Training.Models;
using Text2Lora.Training.Sft;
using static TorchSharp.torch;

// Training step time (issue 5): the 4-layer Llama of the base-model benchmark (hidden 512, 8 heads, 8 KV heads,
// intermediate 1376, vocab 32000, fp32, random weights); 4 tasks × 1 example × 128 tokens (first 64 masked);
// AdamW, NEFTune α=5, label smoothing 0.1. SFT: M hypernetwork (latent 128, head_in 512), LoRA r=8 on q_proj, v_proj.
// Steps run through the real TrainingLoop; step times come from its metrics (checkpoint/validation off until the end).
//   Text2Lora.Bench.Training [steps] [sft|lora|all] [float32|bfloat16|both]     (T2L_BENCH_THREADS=n to pin threads)
// Run sft or lora alone for a peak RSS of that trainer only. "both" runs the base model in fp32 and in bf16 (autocast:
// frozen bf16 base, fp32 trainable weights and optimizer state, fp32 loss), alternating A B A B in one process so
// that a busy machine slows both alike.
var measured = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
var which = args.Length > 1 ? args[1] : "all";
var dtypes = (args.Length > 2 ? args[2] : "float32") switch
{
    "both" => new[] { ScalarType.Float32, ScalarType.BFloat16, ScalarType.Float32, ScalarType.BFloat16 },
    var name => [Text2Lora.Models.ModelDType.Parse(name)],
};
const int Warmup = 3;
if (Environment.GetEnvironmentVariable("T2L_BENCH_THREADS") is { } threads)
{
    set_num_threads(int.Parse(threads, CultureInfo.InvariantCulture));
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"machine: {Environment.ProcessorCount} logical CPUs, torch threads {get_num_threads()}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}"));
var repo = FindRepoRoot();
var modelDir = SyntheticCheckpoint.Write(layers: 4, hidden: 512, heads: 8, kvHeads: 8, intermediate: 1376, vocab: 32000, tied: false, ScalarType.Float32);
var work = Directory.CreateTempSubdirectory("t2l-bench-training-").FullName;
try
{
    // The synthetic model has no tokenizer; examples are token ids already, the formatter is never used.
    var formatter = new PromptFormatter(TokenizerLoader.Load(Path.Combine(repo, "tests", "Text2Lora.Tests", "Fixtures", "stories260k", "model")), null);
    var data = SyntheticTasks(8, 16);
    using var encoder = new MiniLmTaskEncoder();
    var baseModels = dtypes.Distinct().ToDictionary(d => d, d => LoadedBaseModel.FromModel(LlamaFamilyModel.Load(modelDir, new ModelLoadOptions { DType = d }), formatter, padTokenId: 0));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak RSS after setup (synthetic checkpoint written and loaded in {string.Join(", ", baseModels.Keys)}, MiniLM loaded): {PeakRssMiB():F0} MiB"));
    var lora = new LoraAdapterOptions { Rank = 8, Alpha = 16, Dropout = 0.05, TargetModules = ["q_proj", "v_proj"] };
    var round = 0;
    foreach (var dtype in dtypes)
    {
        var baseModel = baseModels[dtype];
        var dtypeName = Text2Lora.Models.ModelDType.NameOf(dtype);
        round++;
        var sftOptions = new SftTrainerOptions
        {
            BaseModel = new BaseModelOptions { Directory = modelDir, DType = dtypeName },
            Data = new TaskDataOptions { TasksDirectory = work, TrainTasks = [.. data.Train.Select(t => t.Name)] },
            Lora = lora,
            Hypernetwork = new HypernetworkOptions { Size = HypernetworkSize.M, LatentSize = 128, HeadInSize = 512 },
            TasksPerBatch = 4,
            ExamplesPerTask = 1,
            LabelSmoothing = 0.1,
            NeftuneNoiseAlpha = 5,
            L2RegGeneratedWeights = 1e-3,
            Loop = Loop(Path.Combine(work, $"sft-{round}"), Warmup + measured),
        };
        if (which is "all" or "sft")
        {
            using var sft = new SftTrainer(sftOptions, encoder).CreateObjective(baseModel, data, ownsBaseModel: false, CancellationToken.None);
            Report($"SFT step, base {dtypeName} (M hypernetwork, 4 tasks × 1 × 128 tokens)", sftOptions.Loop, sft);
            if (dtypes.Length == 1)
            {
                HypernetworkAlone(sft.Hypernetwork.Module, encoder.EmbeddingSize);
            }
        }

        var loraOptions = new LoraTrainerOptions
        {
            BaseModel = new BaseModelOptions { Directory = modelDir, DType = dtypeName },
            Data = sftOptions.Data,
            Lora = lora,
            BatchSize = 4,
            LabelSmoothing = 0.1,
            NeftuneNoiseAlpha = 5,
            Loop = Loop(Path.Combine(work, $"lora-{round}"), Warmup + measured),
        };
        if (which is "all" or "lora")
        {
            using var plain = new LoraTrainer(loraOptions).CreateObjective(baseModel, data);
            Report($"LoRA step, base {dtypeName} (4 × 128 tokens)", loraOptions.Loop, plain);
        }
    }

    foreach (var model in baseModels.Values)
    {
        model.Dispose();
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak RSS (whole process): {PeakRssMiB():F0} MiB"));
}
finally
{
    Directory.Delete(modelDir, recursive: true);
    Directory.Delete(work, recursive: true);
}

void Report(string name, TrainingLoopOptions loop, ITrainingObjective objective)
{
    var rssBefore = PeakRssMiB();
    new TrainingLoop(loop).RunAsync(objective).GetAwaiter().GetResult();
    var rows = MetricsLog.Load(Path.Combine(loop.OutputDirectory, MetricsLog.FileName), int.MaxValue).Rows;
    var steps = rows.Zip(rows.Skip(1), (a, b) => (b.ElapsedSeconds - a.ElapsedSeconds) * 1000).Skip(Warmup - 1).Order().ToArray();
    var (forward, backward) = Split(objective);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name}: median {steps[steps.Length / 2]:F0} ms/step (min {steps[0]:F0}, max {steps[^1]:F0}, {steps.Length} steps); loss {rows[0].TrainLoss:F3} → {rows[^1].TrainLoss:F3}; forward ≈ {forward:F0} ms, backward + clip ≈ {backward:F0} ms; peak RSS {Math.Max(rssBefore, PeakRssMiB()):F0} MiB"));
}

// Where the time goes: the objective's forward (loss) and the backward pass, timed apart (median of 5).
(double Forward, double Backward) Split(ITrainingObjective objective)
{
    var random = new TrainingRandom(1);
    objective.TrainableModule.train(); // the loop leaves it in eval mode after saving the artifact
    var forward = new List<double>();
    var backward = new List<double>();
    var parameters = objective.TrainableModule.parameters().Where(p => p.requires_grad).ToList();
    for (var i = 0; i < 5; i++)
    {
        using var scope = NewDisposeScope();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var loss = objective.ComputeLoss(new TrainingStepContext(i, 0, random));
        _ = loss.item<float>();
        forward.Add(clock.Elapsed.TotalMilliseconds);
        clock.Restart();
        loss.backward();
        nn.utils.clip_grad_norm_(parameters, 1.0);
        backward.Add(clock.Elapsed.TotalMilliseconds);
        objective.TrainableModule.zero_grad();
    }

    return (forward.Order().ElementAt(2), backward.Order().ElementAt(2));
}

// The hypernetwork's own share of an SFT step: generating 4 tasks' factors and back-propagating a loss on them.
static void HypernetworkAlone(Text2Lora.Hypernetworks.HyperModulator module, int embeddingSize)
{
    module.train();
    var forward = new List<double>();
    var backward = new List<double>();
    for (var i = 0; i < 7; i++)
    {
        using var scope = NewDisposeScope();
        var embeddings = randn(4, embeddingSize);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var output = module.Forward(embeddings);
        var loss = output.Modules.Select(m => output.A(m).square().mean().add(output.B(m).square().mean())).Aggregate((a, b) => a.add(b));
        _ = loss.item<float>();
        forward.Add(clock.Elapsed.TotalMilliseconds);
        clock.Restart();
        loss.backward();
        backward.Add(clock.Elapsed.TotalMilliseconds);
        module.zero_grad();
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"  hypernetwork alone (4 tasks): forward {forward.Order().ElementAt(3):F1} ms, backward {backward.Order().ElementAt(3):F1} ms; {module.parameters().Where(p => p.requires_grad).Sum(p => p.numel()):N0} trainable parameters"));
}

static TrainingLoopOptions Loop(string output, int steps) => new()
{
    OutputDirectory = output,
    MaxSteps = steps,
    LearningRate = 1e-4,
    CheckpointEvery = 0,
    ValidateEvery = 0,
};

static TaskDataset SyntheticTasks(int tasks, int examples)
{
    var random = new TrainingRandom(7);
    var list = Enumerable.Range(0, tasks).Select(t => new TokenizedTask(
        $"task_{t}",
        [$"Synthetic benchmark task number {t}: answer every question in the style of task {t}."],
        Enumerable.Range(0, examples).Select(_ =>
        {
            var ids = Enumerable.Range(0, 128).Select(_ => 3 + random.Next(31997)).ToArray();
            var labels = ids.Select((id, i) => i < 64 ? TokenizedExample.IgnoreIndex : id).ToArray();
            return new TokenizedExample(ids, labels);
        }).ToList())).ToList();
    return new TaskDataset(list, []);
}

static double PeakRssMiB()
{
    var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
    return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
}

static string FindRepoRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Text2Lora.sln")))
        {
            return dir.FullName;
        }
    }

    throw new DirectoryNotFoundException("Run the benchmark from inside the repository.");
}
