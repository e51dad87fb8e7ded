using Microsoft.Extensions.Logging;
using Text2Lora.Abstractions;
using Text2Lora.Encoders;
using Text2Lora.Training.Encoders;
using Text2Lora.Training.Loop;

namespace Text2Lora.Training.Hypernetworks;

/// <summary>
/// A trainer of a T2L hypernetwork (SFT, reconstruction): <see cref="TrainerBase{TOptions}"/> plus the description
/// encoder — the one the caller gives, or the one the options name (chosen, and so checked, at construction; loaded
/// and owned by the run) — and the description format the trained hypernetwork records for it.
/// </summary>
/// <typeparam name="TOptions">The trainer's options.</typeparam>
public abstract class HypernetworkTrainerBase<TOptions> : TrainerBase<TOptions>
    where TOptions : class, IHypernetworkTrainerOptions
{
    private readonly ITaskEncoder? _givenEncoder;
    private readonly TaskEncoderChoice _encoderChoice;

    /// <summary>Validates the options and chooses the encoder they name.</summary>
    /// <param name="options">The options.</param>
    /// <param name="optionsName">Names the options in validation errors.</param>
    /// <param name="encoder">The task encoder as it is (null: the one the options name, loaded and disposed by the run).</param>
    /// <param name="logger">The trainer's logger; null: none.</param>
    /// <exception cref="Configuration.TrainerConfigException">An option is invalid or names no supported encoder; names the field.</exception>
    protected HypernetworkTrainerBase(TOptions options, string optionsName, ITaskEncoder? encoder, ILogger? logger)
        : base(options, optionsName, logger)
    {
        _encoderChoice = TrainingTaskEncoder.Choose(options.Encoder, optionsName);
        _givenEncoder = encoder;
    }

    /// <inheritdoc />
    protected override TrainingLoopOptions LoopOptions => Options.Loop;

    /// <summary>The description format the trained hypernetwork records: the chosen encoder's, or a given formatted encoder's (else none).</summary>
    protected DescriptionFormat? RecordedDescriptionFormat => _givenEncoder is null ? _encoderChoice.Format : TrainingTaskEncoder.FormatOf(_givenEncoder);

    /// <summary>The given encoder, else the chosen one loaded with <paramref name="context"/> and added to <paramref name="owned"/>.</summary>
    /// <param name="context">What loading the chosen encoder may need (the base model for <c>""</c>, device, dtype).</param>
    /// <param name="owned">Receives the loaded encoder (the objective owns it).</param>
    /// <param name="cancellationToken">Stops loading.</param>
    protected ITaskEncoder EncoderFor(TaskEncoderLoadContext context, ICollection<IDisposable> owned, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owned);
        if (_givenEncoder is not null)
        {
            return _givenEncoder;
        }

        var loaded = TrainingTaskEncoder.Load(_encoderChoice, context, Logger, cancellationToken);
        owned.Add(loaded);
        return loaded;
    }
}
