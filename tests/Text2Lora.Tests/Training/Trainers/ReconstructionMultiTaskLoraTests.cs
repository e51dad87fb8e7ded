using Text2Lora.Hypernetworks.Checkpoints;
using Text2Lora.IO.Peft;
using Text2Lora.Lora;
using Text2Lora.Tests.Fakes;
using Text2Lora.Tests.Infrastructure;
using Text2Lora.Training.Configuration;
using Text2Lora.Training.Reconstruction;
using static TorchSharp.torch;

namespace Text2Lora.Tests.Training.Trainers;

/// <summary>
/// <c>multiTaskLoraDirectory</c> (the reference's <c>mt_lora_path</c>): its factors are subtracted from every library
/// adapter's before the targets are formed (<c>train_hyper_recon.py</c>) and added back to every generated adapter
/// (<c>AB_offset</c> in <c>convert_to_raw_scale</c>). The library is two of the committed oracle adapters, the
/// multi-task LoRA is built here from a third.
/// </summary>
[Trait(TestCategory.Key, TestCategory.Training)]
[Collection(nameof(GlobalTorchRngCollection))]
public sealed class ReconstructionMultiTaskLoraTests
{
    private static readonly string[] Tasks = ["add_one", "add_two"];

    private static string Library => ReconstructionTrainerTests.Library;

    private static ReconstructionTrainerOptions Options(string output, string multiTask, bool zScore)
    {
        var options = ReconstructionTrainerTests.Options(output, steps: 1, zScore);
        options.Tasks = [.. Tasks];
        options.DescriptionsPerTask = 2;
        options.MultiTaskLoraDirectory = multiTask;
        return options;
    }

    /// <summary>Writes add_five's adapter with its factors times <paramref name="factor"/> (and, optionally, another alpha) as the multi-task LoRA.</summary>
    private static string WriteMultiTaskLora(string folder, double factor = 0.5, int? alpha = null, Func<string, bool>? keep = null)
    {
        using var source = PeftAdapterFolder.Load(Path.Combine(Library, "add_five"));
        var config = source.Config.Clone();
        config.LoraAlpha = alpha ?? config.LoraAlpha;
        var scaling = (double)config.LoraAlpha / config.R;
        using var adapter = new LoraAdapter(config, source.Modules
            .Where(kv => keep?.Invoke(kv.Key) ?? true)
            .Select(kv => KeyValuePair.Create(kv.Key, new LoraWeights(kv.Value.A.mul(factor), kv.Value.B.mul(factor), scaling)))
            .ToList());
        PeftAdapterFolder.Save(adapter, folder);
        return folder;
    }

    [Fact]
    public void Targets_are_the_differences_and_generation_adds_the_multi_task_lora_back()
    {
        using var dir = new TempDirectory();
        var mtFolder = WriteMultiTaskLora(dir.File("mt"));
        using var objective = new ReconstructionTrainer(Options(dir.File("out"), mtFolder, zScore: false), SharedMiniLm.Instance).CreateObjective(CancellationToken.None);
        using var mt = PeftAdapterFolder.Load(mtFolder);
        var hypernetwork = objective.Hypernetwork;
        var parameters = hypernetwork.Module.named_parameters().ToDictionary(p => p.name, p => p.parameter);

        for (var k = 0; k < Tasks.Length; k++)
        {
            using var original = PeftAdapterFolder.Load(Path.Combine(Library, Tasks[k]));
            foreach (var module in hypernetwork.Targets.Modules)
            {
                var (a, b) = objective.Targets[module.Name];
                for (var layer = 0; layer < hypernetwork.Targets.LayerCount; layer++)
                {
                    var path = module.PathForLayer(layer);
                    // The same float32 subtraction as the reference's v − mt_lora[k]: bit-equal.
                    using var expectedA = original.Modules[path].A.sub(mt.Modules[path].A);
                    using var expectedB = original.Modules[path].B.sub(mt.Modules[path].B);
                    Assert.True(a[k, layer].eq(expectedA).all().item<bool>(), $"A target of {Tasks[k]} {path}");
                    Assert.True(b![k, layer].eq(expectedB).all().item<bool>(), $"B target of {Tasks[k]} {path}");
                    Assert.True(parameters[$"AB_offset.A.{module.Name}"][layer].eq(mt.Modules[path].A).all().item<bool>(), $"AB_offset A {path}");
                    Assert.True(parameters[$"AB_offset.B.{module.Name}"][layer].eq(mt.Modules[path].B).all().item<bool>(), $"AB_offset B {path}");
                }
            }
        }

        // Generation: raw output + AB_offset. Zeroing the offset must change each factor by exactly the multi-task LoRA
        // (up to float32 rounding of x + o − x, |x| ≲ 1), and the offset survives a save and load.
        using var embedding = randn(1, hypernetwork.TaskEmbeddingSize, generator: new Generator(3));
        var with = hypernetwork.Generate(embedding)[0];
        objective.SaveArtifact(dir.File("saved"));
        using var loaded = HypernetworkCheckpoint.Load(dir.File("saved"));
        var reloaded = loaded.Generate(embedding)[0];
        using (no_grad())
        {
            foreach (var p in parameters.Where(p => p.Key.StartsWith("AB_offset.", StringComparison.Ordinal)))
            {
                p.Value.zero_();
            }
        }

        var without = hypernetwork.Generate(embedding)[0];
        foreach (var (path, factors) in mt.Modules)
        {
            Assert.True(with.Modules[path].A.sub(without.Modules[path].A).allclose(factors.A, rtol: 0, atol: 1e-6), $"A offset {path}");
            Assert.True(with.Modules[path].B.sub(without.Modules[path].B).allclose(factors.B, rtol: 0, atol: 1e-6), $"B offset {path}");
            Assert.True(reloaded.Modules[path].A.eq(with.Modules[path].A).all().item<bool>(), $"reloaded {path}");
        }

        with.Dispose();
        reloaded.Dispose();
        without.Dispose();
    }

    [Fact]
    public void With_z_scores_the_statistics_are_those_of_the_differences()
    {
        using var dir = new TempDirectory();
        var mtFolder = WriteMultiTaskLora(dir.File("mt"));
        using var objective = new ReconstructionTrainer(Options(dir.File("out"), mtFolder, zScore: true), SharedMiniLm.Instance).CreateObjective(CancellationToken.None);
        using var mt = PeftAdapterFolder.Load(mtFolder);
        using var first = PeftAdapterFolder.Load(Path.Combine(Library, Tasks[0]));
        using var second = PeftAdapterFolder.Load(Path.Combine(Library, Tasks[1]));
        var module = objective.Hypernetwork.Targets.Modules[0];
        var path = module.PathForLayer(0);
        var (meanA, _, stdA, _) = objective.Targets.Statistics[module.Name];

        // Two adapters: mean = (x₁ + x₂)/2 and the unbiased std = |x₁ − x₂|/√2 of the differences xᵢ = Aᵢ − A_mt.
        using var x1 = first.Modules[path].A.sub(mt.Modules[path].A);
        using var x2 = second.Modules[path].A.sub(mt.Modules[path].A);
        using var expectedMean = x1.add(x2).div(2);
        using var expectedStd = x1.sub(x2).abs().div(Math.Sqrt(2));
        // float32 mean/std against the closed form: a few ulps of values ≲ 1.
        Assert.True(meanA[0].allclose(expectedMean, rtol: 0, atol: 1e-6));
        Assert.True(stdA[0].allclose(expectedStd, rtol: 1e-5, atol: 1e-7));
    }

    [Fact]
    public void A_mismatched_or_missing_multi_task_lora_is_named()
    {
        using var dir = new TempDirectory();
        var trainer = (string mt) => new ReconstructionTrainer(Options(dir.File("out"), mt, zScore: true), SharedMiniLm.Instance);

        var missing = Assert.Throws<AdapterFormatException>(() => trainer(dir.File("nowhere")).CreateObjective(CancellationToken.None));
        Assert.Contains("multi-task", missing.Message, StringComparison.Ordinal);

        var otherScaling = WriteMultiTaskLora(dir.File("alpha"), alpha: 3);
        var scaling = Assert.Throws<AdapterFormatException>(() => trainer(otherScaling).CreateObjective(CancellationToken.None));
        Assert.Contains(otherScaling, scaling.Message, StringComparison.Ordinal);
        Assert.Contains("scaling", scaling.Message, StringComparison.Ordinal);

        var fewer = WriteMultiTaskLora(dir.File("fewer"), keep: path => !path.Contains("layers.0.", StringComparison.Ordinal));
        var absent = Assert.Throws<AdapterFormatException>(() => trainer(fewer).CreateObjective(CancellationToken.None));
        Assert.Contains("layers.0.", absent.Message, StringComparison.Ordinal);

        var options = Options(dir.File("out"), WriteMultiTaskLora(dir.File("ok")), zScore: false);
        options.Factorized = false;
        var invalid = Assert.Throws<TrainerConfigException>(() => new ReconstructionTrainer(options, SharedMiniLm.Instance));
        Assert.Equal("multiTaskLoraDirectory", invalid.Field);
        Assert.False(Directory.Exists(dir.File("out")), "nothing may be written before the inputs are checked");
    }
}
