using Text2Lora.Abstractions;
using Text2Lora.Hypernetworks.Checkpoints;
using Text2Lora.IO.Peft;
using Text2Lora.Lora;
using Text2Lora.Tests.Fakes;
using Text2Lora.Tests.Infrastructure;
using Text2Lora.Training.Configuration;
using Text2Lora.Tasks;
using Text2Lora.Training.Data;
using Text2Lora.Training.Hypernetworks;
using Text2Lora.Training.Models;
using Text2Lora.Training.Reconstruction;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Text2Lora.Tests.Training.Trainers;

/// <summary>Reconstruction of the committed oracle library (four real LoRAs trained on stories260K by t2l train lora).</summary>
[Trait(TestCategory.Key, TestCategory.Training)]
[Collection(nameof(GlobalTorchRngCollection))]
public sealed class ReconstructionTrainerTests(ITestOutputHelper output)
{
    private static readonly string[] Tasks = ["add_one", "add_two", "add_five", "add_ten"];

    internal static string Library => Path.Combine(TrainerFixtures.RepoRoot, "data", "oracle-adapters", "stories260k");

    internal static ReconstructionTrainerOptions Options(string output, int steps, bool zScore = true) => new()
    {
        BaseModelDirectory = TrainerFixtures.Stories260k.Directory,
        AdaptersDirectory = Library,
        TasksDirectory = TrainerFixtures.TaskSuite,
        Tasks = [.. Tasks],
        Hypernetwork = new HypernetworkOptions { Size = HypernetworkSize.L, LatentSize = 64, HeadInSize = 128 },
        PredictZScore = zScore,
        Factorized = true,
        DescriptionsPerTask = 4,
        Loop = TrainerFixtures.Loop(output, steps, 1e-3),
    };

    [Fact]
    public async Task Generated_adapters_reproduce_the_library_and_its_logits()
    {
        using var dir = new TempDirectory();
        var result = await new ReconstructionTrainer(Options(dir.Path, 400), SharedMiniLm.Instance).TrainAsync();
        output.WriteLine($"loss {result.FirstTrainLoss:F4} → {result.FinalTrainLoss:F4}");
        Assert.True(result.FinalTrainLoss < 0.05 * result.FirstTrainLoss, $"loss {result.FirstTrainLoss:F4} → {result.FinalTrainLoss:F4}");

        // The saved hypernetwork de-normalises with the library statistics it stores.
        using var hypernetwork = HypernetworkCheckpoint.Load(result.ArtifactDirectory);
        using var baseModel = LoadedBaseModel.Load(TrainerFixtures.Stories260k);
        var prompts = TaskDataset.Load(
            new TaskDataOptions { TasksDirectory = TrainerFixtures.TaskSuite, TrainTasks = ["add_one"], ValidationExamplesPerTask = 8 },
            baseModel.Formatter).Validation[0];
        using var batch = TrainingBatch.Create(prompts.Examples, baseModel.PadTokenId, baseModel.Model.Device);
        using var baseLogits = Logits(baseModel.Model, batch, null);

        foreach (var task in Tasks)
        {
            var description = TaskFolderReader.ReadDescriptions(Path.Combine(TrainerFixtures.TaskSuite, task, "metadata.yaml"))[0];
            using var embedding = SharedMiniLm.Instance.Encode([description]);
            using var generated = hypernetwork.Generate(embedding)[0];
            using var original = PeftAdapterFolder.Load(Path.Combine(Library, task));

            // ΔW error relative to ΔW, over all adapted modules: observed 1.7–2.1 %, bound 5 %. The library's adapters
            // differ from each other by 62–90 % of their norm (checked below), so only the right adapter meets it.
            var error = RelativeDeltaError(generated, original);
            output.WriteLine($"{task}: relative ΔW error {error:P2}");
            Assert.True(error < 0.05, $"{task}: relative ΔW error {error:P1}");
            foreach (var other in Tasks.Where(t => t != task))
            {
                using var otherAdapter = PeftAdapterFolder.Load(Path.Combine(Library, other));
                output.WriteLine($"  {other} vs {task}: {RelativeDeltaError(otherAdapter, original):P1}");
                Assert.True(RelativeDeltaError(otherAdapter, original) > 2 * error, $"{task} vs {other}: the library adapters are too alike for the test to mean anything");
            }

            // Logits: the generated adapter moves them where the original does (by 25–31 nats at most), up to a small
            // fraction of the move: observed 1.6–3.6 %, bound 10 %.
            using var originalLogits = Logits(baseModel.Model, batch, original);
            using var generatedLogits = Logits(baseModel.Model, batch, generated);
            var effect = originalLogits.sub(baseLogits).abs().max().item<float>();
            var mismatch = generatedLogits.sub(originalLogits).abs().max().item<float>();
            output.WriteLine($"  logits: mismatch {mismatch:F4}, adapter effect {effect:F4}");
            Assert.True(mismatch < 0.1 * effect, $"{task}: logits differ by {mismatch:F4}, the adapter's effect is {effect:F4}");
        }
    }

    [Fact]
    public async Task A_broken_library_is_named_before_anything_is_written()
    {
        using var library = new TempDirectory();
        foreach (var task in Tasks.Take(2))
        {
            using var adapter = PeftAdapterFolder.Load(Path.Combine(Library, task));
            PeftAdapterFolder.Save(adapter, Path.Combine(library.Path, task));
        }

        using var output = new TempDirectory();
        var options = Options(output.Path, 5);
        options.AdaptersDirectory = library.Path;
        options.Tasks = ["add_one", "add_two", "add_five"];
        var missing = await Assert.ThrowsAsync<AdapterFormatException>(() => new ReconstructionTrainer(options, SharedMiniLm.Instance).TrainAsync());
        Assert.Contains("add_five", missing.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(output.Path));

        options.Tasks = ["add_one", "add_two"];
        options.Factorized = false; // z-scores of ΔW cannot become factors again
        var invalid = Assert.Throws<TrainerConfigException>(() => new ReconstructionTrainer(options, SharedMiniLm.Instance));
        Assert.Equal("predictZScore", invalid.Field);
    }

    private static double RelativeDeltaError(LoraAdapter generated, LoraAdapter original)
    {
        double error = 0, norm = 0;
        foreach (var (path, weights) in original.Modules)
        {
            using var expected = weights.DeltaWeight();
            using var actual = generated.Modules[path].DeltaWeight();
            error += actual.sub(expected).square().sum().item<float>();
            norm += expected.square().sum().item<float>();
        }

        return Math.Sqrt(error / norm);
    }

    private static Tensor Logits(IBaseModel model, TrainingBatch batch, LoraAdapter? adapter)
    {
        using var active = adapter is null ? null : model.PrepareAdapter(adapter);
        using var noGrad = no_grad();
        using var output = model.Forward(new ModelForwardInput(batch.InputIds) { Adapters = active });
        return output.Logits!.alias();
    }
}
