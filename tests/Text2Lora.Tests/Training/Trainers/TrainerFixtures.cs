using Text2Lora.Tests.TaskSuite;
using Text2Lora.Training.Loop;
using Text2Lora.Training.Metrics;
using Text2Lora.Training.Models;

namespace Text2Lora.Tests.Training.Trainers;

/// <summary>Paths and helpers shared by the trainer tests: the real stories260K model and the committed task suite.</summary>
internal static class TrainerFixtures
{
    /// <summary>The repository root (the folder holding Text2Lora.sln).</summary>
    public static string RepoRoot => Path.GetFullPath(Path.Combine(CommittedSuite.Root, "..", ".."));

    /// <summary><c>data/task-suite</c>.</summary>
    public static string TaskSuite => CommittedSuite.Root;

    /// <summary>stories260K as a plain (non-chat) base model.</summary>
    public static BaseModelOptions Stories260k => new()
    {
        Directory = Infrastructure.FixturePaths.Get("stories260k", "model"),
        PromptFormat = PromptFormat.Plain,
    };

    /// <summary>A loop for short test runs: no periodic checkpoints or validation unless asked.</summary>
    public static TrainingLoopOptions Loop(string output, int steps, double learningRate, bool resume = false) => new()
    {
        OutputDirectory = output,
        MaxSteps = steps,
        LearningRate = learningRate,
        WarmupFraction = 0.1,
        WeightDecay = 0.01,
        MaxGradNorm = 1.0,
        Seed = 3,
        CheckpointEvery = 0,
        ValidateEvery = 0,
        IntraOpThreads = 1, // the models are tiny: more threads only spin (see docs/training.md)
        Resume = resume,
    };

    /// <summary>The metrics rows of a run.</summary>
    public static IReadOnlyList<MetricsRow> Metrics(string output) => MetricsLog.Load(Path.Combine(output, MetricsLog.FileName), int.MaxValue).Rows;

    /// <summary>Mean train loss of the first / last <paramref name="n"/> steps.</summary>
    public static (double First, double Last) FirstAndLast(IReadOnlyList<MetricsRow> rows, int n) =>
        (rows.Take(n).Average(r => r.TrainLoss), rows.TakeLast(n).Average(r => r.TrainLoss));

    /// <summary>Writes a task folder (metadata.yaml + train.jsonl + test.jsonl) under <paramref name="root"/>.</summary>
    public static void WriteTask(string root, string name, string metadataYaml, string trainJsonl, string? testJsonl = null)
    {
        var dir = Path.Combine(root, name);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "metadata.yaml"), metadataYaml);
        File.WriteAllText(Path.Combine(dir, "train.jsonl"), trainJsonl);
        if (testJsonl is not null)
        {
            File.WriteAllText(Path.Combine(dir, "test.jsonl"), testJsonl);
        }
    }

    /// <summary>Every file under <paramref name="directory"/> with its bytes (to prove a failed run touched nothing).</summary>
    public static Dictionary<string, byte[]> Snapshot(string directory) =>
        Directory.GetFiles(directory, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);
}
