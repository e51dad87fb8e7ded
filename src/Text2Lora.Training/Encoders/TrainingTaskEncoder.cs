using Microsoft.Extensions.Logging;
using Text2Lora.Abstractions;
using Text2Lora.Encoders;
using Text2Lora.IO.Hub;
using Text2Lora.Training.Configuration;

namespace Text2Lora.Training.Encoders;

/// <summary>
/// The description encoder a trainer config names (<c>"encoder"</c>): missing or null: MiniLM (Text2Lora's default);
/// <c>""</c>: the base model itself; <c>"gte"</c> (= Alibaba-NLP/gte-large-en-v1.5), a hub id or a folder: chosen by
/// <see cref="TaskEncoderSelection"/> exactly as for a checkpoint, so the trained hypernetwork records an encoder and
/// description format that <c>FromDescription</c> reproduces.
/// </summary>
public static class TrainingTaskEncoder
{
    /// <summary>The encoder choice for config value <paramref name="encoder"/>.</summary>
    /// <exception cref="TrainerConfigException">The value names no supported encoder.</exception>
    public static TaskEncoderChoice Choose(string? encoder, string configName)
    {
        try
        {
            return TaskEncoderSelection.Choose(encoder ?? MiniLmTaskEncoder.ModelId, source: "encoder");
        }
        catch (UnsupportedTaskEncoderException ex)
        {
            throw new TrainerConfigException(configName, "encoder", ex.Message, ex);
        }
    }

    /// <summary>Loads the encoder of <paramref name="choice"/> (the caller owns it); <paramref name="context"/> gives the base model for <c>""</c>.</summary>
    public static FormattedTaskEncoder Load(TaskEncoderChoice choice, TaskEncoderLoadContext context, ILogger logger, CancellationToken cancellationToken)
    {
        logger.LogInformation("Description encoder: {Family} '{Id}', descriptions formatted as {Format}.", choice.Family, choice.Id, choice.Format);
        return new TaskEncoderLoader(new HubModelFolderResolver(new HubModelResolver())).Load(choice, context, cancellationToken);
    }

    /// <summary>The format to record for an encoder given to the trainer: its own when it is a formatted encoder, else none (decided from its id on load).</summary>
    public static DescriptionFormat? FormatOf(ITaskEncoder encoder) => encoder is FormattedTaskEncoder formatted ? formatted.Format : null;

    /// <summary>A config's encoder folder made absolute against the config file's folder when it exists there; ids and other names stay as given.</summary>
    public static string? ResolvePath(string? encoder, string baseDirectory)
    {
        if (string.IsNullOrEmpty(encoder))
        {
            return encoder;
        }

        var candidate = ConfigPaths.Resolve(encoder, baseDirectory);
        return Directory.Exists(candidate) ? candidate : encoder;
    }
}
