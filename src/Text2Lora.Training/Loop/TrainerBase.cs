using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Text2Lora.Abstractions;
using Text2Lora.Runtime;
using Text2Lora.Training.Configuration;

namespace Text2Lora.Training.Loop;

/// <summary>
/// The one shape of every trainer (LoRA, SFT, reconstruction, base-model pretraining): the options are validated when
/// the trainer is created; <see cref="TrainAsync"/> builds the objective — everything that can fail on bad input
/// happens there, before any file is written — then the shared <see cref="TrainingLoop"/> touches the output folder
/// and runs it. What the objective needs besides itself (a loaded base model, …) goes into the <c>owned</c> list and
/// is disposed after the objective, last added first.
/// </summary>
/// <typeparam name="TOptions">The trainer's options (its config file's schema).</typeparam>
public abstract class TrainerBase<TOptions> : ITrainer
    where TOptions : class
{
    /// <summary>Validates <paramref name="options"/> (as a config file is validated) and keeps them.</summary>
    /// <param name="options">The options.</param>
    /// <param name="optionsName">Names the options in validation errors.</param>
    /// <param name="logger">The trainer's logger (also the loop's unless <see cref="LoopLogger"/> says otherwise); null: none.</param>
    /// <exception cref="TrainerConfigException">An option is invalid; names the field.</exception>
    protected TrainerBase(TOptions options, string optionsName, ILogger? logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        TrainerConfigFile.Validate(options, optionsName);
        Options = options;
        Logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The validated options.</summary>
    protected TOptions Options { get; }

    /// <summary>The trainer's logger.</summary>
    protected ILogger Logger { get; }

    /// <summary>The loop's options (part of <see cref="Options"/>).</summary>
    protected abstract TrainingLoopOptions LoopOptions { get; }

    /// <summary>The loop's logger.</summary>
    protected virtual ILogger LoopLogger => Logger;

    /// <summary>Where the run computes: the loop options' <c>device</c>, parsed (validated with the options).</summary>
    protected TorchSharp.torch.Device TrainingDevice => LoopOptions.TrainingDevice;

    /// <inheritdoc />
    public async Task<TrainingResult> TrainAsync(IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var owned = new List<IDisposable>();
        try
        {
            // CUDA must initialise before any other libtorch work (TorchSharp #1198); a missing backend fails here with its package name.
            TorchRuntime.EnsureAvailable(TrainingDevice);
            var objective = BuildObjective(owned, cancellationToken);
            using (objective as IDisposable)
            {
                return await new TrainingLoop(LoopOptions, LoopLogger).RunAsync(objective, progress, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            for (var i = owned.Count - 1; i >= 0; i--)
            {
                owned[i].Dispose();
            }
        }
    }

    /// <summary>Loads what the run needs and builds its objective; writes nothing.</summary>
    /// <param name="owned">Receives what the objective uses but does not own; disposed after the run (also when this throws).</param>
    /// <param name="cancellationToken">Stops loading.</param>
    protected abstract ITrainingObjective BuildObjective(ICollection<IDisposable> owned, CancellationToken cancellationToken);
}
