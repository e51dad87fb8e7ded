using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Text2Lora.Abstractions;
using Text2Lora.Training.Checkpoints;
using Text2Lora.Training.Metrics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Text2Lora.Training.Loop;

/// <summary>
/// The one training loop every trainer runs: AdamW with warmup + linear decay, gradient accumulation and
/// clipping, periodic validation with best-artifact tracking and early stopping, crash-safe checkpoints,
/// exact resume (weights, optimizer, schedule position and both random generators are restored), metrics
/// CSV, loss plot, progress and logging.
/// </summary>
/// <remarks>
/// Output folder: <c>checkpoint/</c> (resumable state), <c>final/</c> (the artifact after the last step),
/// <c>best/</c> (the artifact at the best validation loss), <c>metrics.csv</c>, <c>loss.png</c>.
/// </remarks>
public sealed class TrainingLoop
{
    /// <summary>Artifact folder written at the end of the run.</summary>
    public const string FinalArtifactFolder = "final";

    /// <summary>Artifact folder written at each new best validation loss.</summary>
    public const string BestArtifactFolder = "best";

    private readonly TrainingLoopOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates the loop; <paramref name="options"/> are validated here.</summary>
    public TrainingLoop(TrainingLoopOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.EnsureValid();
        _options = options;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Trains <paramref name="objective"/> to the step budget (or early stop), resuming if asked.</summary>
    public Task<TrainingResult> RunAsync(ITrainingObjective objective, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objective);
        return Task.Run(() => RunWithThreads(objective, progress, cancellationToken), cancellationToken);
    }

    private TrainingResult RunWithThreads(ITrainingObjective objective, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        if (_options.IntraOpThreads == 0)
        {
            return Run(objective, progress, cancellationToken);
        }

        var previous = torch.get_num_threads();
        torch.set_num_threads(_options.IntraOpThreads);
        try
        {
            return Run(objective, progress, cancellationToken);
        }
        finally
        {
            torch.set_num_threads(previous);
        }
    }

    private TrainingResult Run(ITrainingObjective objective, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        var output = Path.GetFullPath(_options.OutputDirectory);
        Directory.CreateDirectory(output);
        var module = objective.TrainableModule;
        var parameters = module.parameters().Where(p => p.requires_grad).ToList();
        if (parameters.Count == 0)
        {
            throw new InvalidOperationException("The training objective's module has no parameters that require gradients.");
        }

        module.train();
        using var optimizer = optim.AdamW(parameters, lr: _options.LearningRate, weight_decay: _options.WeightDecay);
        var schedule = new LearningRateSchedule(_options.LearningRate, _options.MaxSteps, _options.WarmupFraction);
        var (state, random, metrics) = StartOrResume(output, module, optimizer);

        var clock = Stopwatch.StartNew();
        var startStep = state.Step;
        var stoppedEarly = false;
        while (state.Step < _options.MaxSteps && !stoppedEarly)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                SaveCheckpoint(output, state, random, module, optimizer, metrics);
                _logger.LogInformation("Training cancelled at step {Step}; checkpoint written to {Folder}.", state.Step, output);
                cancellationToken.ThrowIfCancellationRequested();
            }

            var step = state.Step; // 0-based index of the step being taken
            var learningRate = schedule.At(step);
            foreach (var group in optimizer.ParamGroups)
            {
                group.LearningRate = learningRate;
            }

            optimizer.zero_grad();
            double lossSum = 0;
            for (var micro = 0; micro < _options.GradientAccumulationSteps; micro++)
            {
                using var scope = NewDisposeScope();
                var loss = objective.ComputeLoss(new TrainingStepContext(step, micro, random));
                var value = loss.item<float>();
                if (!double.IsFinite(value))
                {
                    throw new InvalidOperationException($"The training loss became {value} at step {step + 1}; lower the learning rate or check the data.");
                }

                lossSum += value;
                (loss / _options.GradientAccumulationSteps).backward();
            }

            var gradNorm = _options.MaxGradNorm > 0
                ? nn.utils.clip_grad_norm_(parameters, _options.MaxGradNorm)
                : GradientNorm(parameters);
            using (NewDisposeScope())
            {
                optimizer.step();
            }

            var trainLoss = lossSum / _options.GradientAccumulationSteps;
            state = state with { Step = step + 1, FirstTrainLoss = state.FirstTrainLoss ?? trainLoss };

            double? valLoss = null;
            var isLast = state.Step == _options.MaxSteps;
            if ((_options.ValidateEvery > 0 && state.Step % _options.ValidateEvery == 0) || isLast)
            {
                (state, valLoss, stoppedEarly) = Validate(objective, module, state, output, cancellationToken);
            }

            metrics.Add(new MetricsRow(state.Step, trainLoss, learningRate, gradNorm, valLoss, clock.Elapsed.TotalSeconds));
            if (_options.CheckpointEvery > 0 && state.Step % _options.CheckpointEvery == 0 && !isLast)
            {
                SaveCheckpoint(output, state, random, module, optimizer, metrics);
            }

            var done = state.Step - startStep;
            var remaining = TimeSpan.FromSeconds(clock.Elapsed.TotalSeconds / done * (_options.MaxSteps - state.Step));
            progress?.Report(new TrainingProgress(state.Step, _options.MaxSteps, trainLoss, learningRate, valLoss ?? state.BestValidationLoss, clock.Elapsed, remaining));
            _logger.LogDebug("step {Step}/{Total} loss {Loss:F4} lr {Lr:G3} grad_norm {Norm:F3}", state.Step, _options.MaxSteps, trainLoss, learningRate, gradNorm);
        }

        SaveCheckpoint(output, state, random, module, optimizer, metrics);
        var finalDirectory = Path.Combine(output, FinalArtifactFolder);
        module.eval();
        objective.SaveArtifact(finalDirectory);
        LossCurvePlot.Save(metrics.Rows, Path.Combine(output, LossCurvePlot.FileName), Path.GetFileName(output));
        _logger.LogInformation("Training finished at step {Step}: loss {First:F4} → {Last:F4}; artifact in {Folder}.",
            state.Step, state.FirstTrainLoss, metrics.Rows.LastOrDefault()?.TrainLoss, finalDirectory);

        return new TrainingResult(output, finalDirectory, state.Step, state.FirstTrainLoss ?? double.NaN,
            metrics.Rows.LastOrDefault()?.TrainLoss ?? double.NaN, state.BestValidationLoss, stoppedEarly);
    }

    private (TrainerState State, TrainingRandom Random, MetricsLog Metrics) StartOrResume(string output, nn.Module module, OptimizerHelper optimizer)
    {
        var checkpoint = _options.Resume ? TrainingCheckpoint.Find(output) : null;
        if (checkpoint is null)
        {
            if (_options.Resume)
            {
                _logger.LogWarning("No checkpoint in {Folder}; starting from scratch.", output);
            }

            torch.manual_seed(_options.Seed);
            var fresh = new TrainerState(0, _options.MaxSteps, _options.Seed, [], "", null, null, null, 0);
            return (fresh, new TrainingRandom(_options.Seed), new MetricsLog());
        }

        var state = TrainingCheckpoint.ReadState(checkpoint);
        if (state.Seed != _options.Seed)
        {
            _logger.LogWarning("Resuming a run seeded {Old} with seed {New}: the checkpoint's random state wins.", state.Seed, _options.Seed);
        }

        TrainingCheckpoint.Restore(checkpoint, module, optimizer);
        using (var rng = tensor(Convert.FromBase64String(state.TorchRngState)))
        {
            torch.set_rng_state(rng);
        }

        _logger.LogInformation("Resuming from step {Step} ({Folder}).", state.Step, checkpoint);
        return (state, TrainingRandom.FromState(state.RandomState), MetricsLog.Load(Path.Combine(output, MetricsLog.FileName), state.Step));
    }

    private (TrainerState State, double? Loss, bool Stop) Validate(ITrainingObjective objective, nn.Module module, TrainerState state, string output, CancellationToken cancellationToken)
    {
        module.eval();
        double? loss;
        using (no_grad())
        using (NewDisposeScope())
        {
            loss = objective.ComputeValidationLoss(cancellationToken);
        }

        module.train();
        if (loss is not { } value)
        {
            return (state, null, false);
        }

        if (state.BestValidationLoss is null || value < state.BestValidationLoss)
        {
            module.eval();
            objective.SaveArtifact(Path.Combine(output, BestArtifactFolder));
            module.train();
            return (state with { BestValidationLoss = value, BestStep = state.Step, ValidationsWithoutImprovement = 0 }, value, false);
        }

        var without = state.ValidationsWithoutImprovement + 1;
        var stop = _options.EarlyStoppingPatience > 0 && without >= _options.EarlyStoppingPatience;
        if (stop)
        {
            _logger.LogInformation("Early stopping at step {Step}: no improvement on {Best:F4} (step {BestStep}) for {N} validations.", state.Step, state.BestValidationLoss, state.BestStep, without);
        }

        return (state with { ValidationsWithoutImprovement = without }, value, stop);
    }

    private void SaveCheckpoint(string output, TrainerState state, TrainingRandom random, nn.Module module, OptimizerHelper optimizer, MetricsLog metrics)
    {
        using var rng = torch.get_rng_state();
        var full = state with
        {
            MaxSteps = _options.MaxSteps,
            RandomState = random.GetState(),
            TorchRngState = Convert.ToBase64String(rng.bytes),
        };
        // Metrics first: a crash between the two leaves rows beyond the checkpoint, which resume drops.
        metrics.Save(Path.Combine(output, MetricsLog.FileName));
        TrainingCheckpoint.Save(output, full, module, optimizer);
    }

    private static double GradientNorm(IEnumerable<Parameter> parameters)
    {
        using var scope = NewDisposeScope();
        var norms = parameters.Where(p => p.grad is not null).Select(p => p.grad!.norm()).ToList();
        return norms.Count == 0 ? 0 : stack(norms).norm().item<float>();
    }
}
