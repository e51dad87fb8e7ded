using System.ComponentModel.DataAnnotations;
using Text2Lora.Abstractions;
using Text2Lora.Tests.Infrastructure;
using Text2Lora.Training.Checkpoints;
using Text2Lora.Training.Loop;
using Text2Lora.Training.Metrics;

namespace Text2Lora.Tests.Training;

// The loop seeds the global torch generator; runs in this class must not interleave with each other.
[Trait(TestCategory.Key, TestCategory.Training)]
[Collection(nameof(GlobalTorchRngCollection))]
public sealed class TrainingLoopTests
{
    private static TrainingLoopOptions Options(string dir, int steps, bool resume = false) => new()
    {
        OutputDirectory = dir,
        MaxSteps = steps,
        LearningRate = 3e-2,
        WarmupFraction = 0.1,
        WeightDecay = 0.01,
        MaxGradNorm = 1.0,
        GradientAccumulationSteps = 2,
        CheckpointEvery = 7,
        ValidateEvery = 10,
        Seed = 5,
        Resume = resume,
    };

    [Fact]
    public async Task Loss_falls_and_outputs_are_written()
    {
        using var dir = new TempDirectory();
        using var objective = new TinyRegressionObjective();
        var reports = new List<TrainingProgress>();

        var options = Options(dir.Path, 200);
        options.ValidateEvery = 40;
        var result = await new TrainingLoop(options).RunAsync(objective, new SyncProgress(reports.Add));

        Assert.Equal(200, result.Steps);
        var rows = MetricsLog.Load(dir.File(MetricsLog.FileName), int.MaxValue).Rows;
        Assert.Equal(200, rows.Count);
        // The target's variance is ~0.6; a working optimizer gets far below the first steps' loss.
        Assert.True(rows.TakeLast(10).Average(r => r.TrainLoss) < 0.5 * rows.Take(5).Average(r => r.TrainLoss),
            $"loss did not fall: first {rows[0].TrainLoss:F4}, last {rows[^1].TrainLoss:F4}");
        Assert.StartsWith("step,train_loss,lr,grad_norm,val_loss", File.ReadLines(dir.File(MetricsLog.FileName)).First(), StringComparison.Ordinal);
        Assert.Equal(5, rows.Count(r => r.ValLoss is not null)); // steps 40, 80, ..., 200
        Assert.True(File.Exists(dir.File(LossCurvePlot.FileName)));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(dir.File(LossCurvePlot.FileName))[..4]);
        Assert.True(File.Exists(Path.Combine(dir.Path, TrainingLoop.FinalArtifactFolder, "model.safetensors")));
        Assert.True(File.Exists(Path.Combine(dir.Path, TrainingLoop.BestArtifactFolder, "model.safetensors")));
        Assert.Equal(200, TrainingCheckpoint.ReadState(TrainingCheckpoint.Find(dir.Path)!).Step);
        Assert.Equal(200, reports.Count);
        Assert.Equal(0, rows[0].LearningRate); // warmup starts at 0, as transformers' linear schedule does
    }

    [Fact]
    public async Task Stopping_and_resuming_continues_the_same_trajectory()
    {
        const int total = 30;
        const int stopAfter = 12; // not a checkpoint multiple: cancellation must write its own checkpoint

        using var straightDir = new TempDirectory();
        using (var objective = new TinyRegressionObjective())
        {
            await new TrainingLoop(Options(straightDir.Path, total)).RunAsync(objective);
        }

        using var resumedDir = new TempDirectory();
        using (var objective = new TinyRegressionObjective())
        {
            using var cts = new CancellationTokenSource();
            var progress = new SyncProgress(p =>
            {
                if (p.Step == stopAfter)
                {
                    cts.Cancel();
                }
            });
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new TrainingLoop(Options(resumedDir.Path, total)).RunAsync(objective, progress, cts.Token));
            Assert.Equal(stopAfter, TrainingCheckpoint.ReadState(TrainingCheckpoint.Find(resumedDir.Path)!).Step);
        }

        // A fresh process state: new module with different initial weights, global RNG moved on.
        TorchSharp.torch.manual_seed(999);
        using (var objective = new TinyRegressionObjective(seed: 77))
        {
            await new TrainingLoop(Options(resumedDir.Path, total, resume: true)).RunAsync(objective);
        }

        var straight = MetricsLog.Load(straightDir.File(MetricsLog.FileName), int.MaxValue).Rows;
        var resumed = MetricsLog.Load(resumedDir.File(MetricsLog.FileName), int.MaxValue).Rows;
        Assert.Equal(total, resumed.Count);
        for (var i = 0; i < total; i++)
        {
            // Same ops on the same bits in the same order are deterministic on CPU; the tolerance only
            // absorbs float32 rounding of the logged loss (CSV round-trips doubles exactly).
            Assert.Equal(straight[i].Step, resumed[i].Step);
            Assert.Equal(straight[i].TrainLoss, resumed[i].TrainLoss, 1e-7);
            Assert.Equal(straight[i].LearningRate, resumed[i].LearningRate, 12);
            Assert.Equal(straight[i].ValLoss is null, resumed[i].ValLoss is null);
        }
    }

    [Fact]
    public async Task A_crash_while_writing_a_checkpoint_keeps_the_previous_one_loadable()
    {
        using var dir = new TempDirectory();
        using var objective = new TinyRegressionObjective();
        var options = Options(dir.Path, 7); // checkpoint at step 7 (the end)
        await new TrainingLoop(options).RunAsync(objective);
        var before = File.ReadAllBytes(Path.Combine(dir.Path, TrainingCheckpoint.FolderName, "weights.safetensors"));

        // Simulate a crash after the weights of the next checkpoint hit the disk.
        TrainingCheckpoint.AfterFileWritten = file => throw new IOException($"simulated crash after {file}");
        try
        {
            var state = TrainingCheckpoint.ReadState(TrainingCheckpoint.Find(dir.Path)!);
            using var optimizer = TorchSharp.torch.optim.AdamW(objective.Model.parameters());
            Assert.Throws<IOException>(() => TrainingCheckpoint.Save(dir.Path, state with { Step = 99 }, objective.Model, optimizer));
        }
        finally
        {
            TrainingCheckpoint.AfterFileWritten = null;
        }

        var found = TrainingCheckpoint.Find(dir.Path)!;
        Assert.Equal(7, TrainingCheckpoint.ReadState(found).Step);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(found, "weights.safetensors")));
        Assert.DoesNotContain(Directory.GetDirectories(dir.Path), d => d.EndsWith(".tmp", StringComparison.Ordinal));

        // And the kept checkpoint resumes.
        using var again = new TinyRegressionObjective();
        var result = await new TrainingLoop(Options(dir.Path, 10, resume: true)).RunAsync(again);
        Assert.Equal(10, result.Steps);
    }

    [Fact]
    public void A_crash_between_the_swap_renames_falls_back_to_the_set_aside_checkpoint()
    {
        using var dir = new TempDirectory();
        var aside = Path.Combine(dir.Path, ".checkpoint.0123.old");
        Directory.CreateDirectory(aside);
        File.WriteAllText(Path.Combine(aside, "trainer_state.json"),
            """{"Step":3,"MaxSteps":9,"Seed":1,"RandomState":[1,2,3,4],"TorchRngState":"","FirstTrainLoss":1.5,"BestValidationLoss":null,"BestStep":null,"ValidationsWithoutImprovement":0}""");

        Assert.Equal(aside, TrainingCheckpoint.Find(dir.Path));
        Assert.Equal(3, TrainingCheckpoint.ReadState(aside).Step);
    }

    [Fact]
    public async Task Early_stopping_ends_the_run_after_patience_validations_without_improvement()
    {
        using var dir = new TempDirectory();
        var losses = new[] { 1.0, 0.8, 0.9, 0.85, 0.95, 0.7 };
        using var objective = new TinyRegressionObjective(validationOverride: i => losses[i]);
        var options = Options(dir.Path, 100);
        options.ValidateEvery = 5;
        options.EarlyStoppingPatience = 3;

        var result = await new TrainingLoop(options).RunAsync(objective);

        Assert.True(result.StoppedEarly);
        Assert.Equal(25, result.Steps); // validations at 5..25; the best (0.8 at step 10) is not beaten at 15, 20, 25
        Assert.Equal(0.8, result.BestValidationLoss);
    }

    [Theory]
    [InlineData(nameof(TrainingLoopOptions.MaxSteps))]
    [InlineData(nameof(TrainingLoopOptions.WarmupFraction))]
    [InlineData(nameof(TrainingLoopOptions.OutputDirectory))]
    public void Invalid_options_are_refused_naming_the_field(string field)
    {
        var options = new TrainingLoopOptions { OutputDirectory = "x" };
        switch (field)
        {
            case nameof(TrainingLoopOptions.MaxSteps): options.MaxSteps = 0; break;
            case nameof(TrainingLoopOptions.WarmupFraction): options.WarmupFraction = 1.5; break;
            default: options.OutputDirectory = " "; break;
        }

        var ex = Assert.Throws<ValidationException>(() => new TrainingLoop(options));
        Assert.Contains(field, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Schedule_matches_transformers_linear_warmup_decay()
    {
        var schedule = new LearningRateSchedule(1.0, totalSteps: 10, warmupFraction: 0.2);
        // lr_lambda(s) = s/2 for s < 2, else (10 - s)/8.
        Assert.Equal([0, 0.5, 1, 0.875, 0.75, 0.625, 0.5, 0.375, 0.25, 0.125], Enumerable.Range(0, 10).Select(schedule.At));
    }

    [Fact]
    public void Training_random_state_round_trips_and_is_reproducible()
    {
        var a = new TrainingRandom(42);
        _ = a.Next(10);
        var b = TrainingRandom.FromState(a.GetState());
        Assert.Equal(Enumerable.Range(0, 20).Select(_ => a.Next(1000)), Enumerable.Range(0, 20).Select(_ => b.Next(1000)));
        Assert.Equal(new TrainingRandom(7).Sample(50, 10), new TrainingRandom(7).Sample(50, 10));
        Assert.Equal(10, new TrainingRandom(7).Sample(50, 10).Distinct().Count());
        var counts = new int[4];
        var r = new TrainingRandom(3);
        for (var i = 0; i < 40000; i++)
        {
            counts[r.Next(4)]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 9500, 10500)); // ±5σ of a fair binomial(40000, 1/4)
    }

    private sealed class SyncProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}

[CollectionDefinition(nameof(GlobalTorchRngCollection), DisableParallelization = true)]
public sealed class GlobalTorchRngCollection;
