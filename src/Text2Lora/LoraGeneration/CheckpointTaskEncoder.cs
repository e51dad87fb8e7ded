using Microsoft.Extensions.Logging;
using Text2Lora.Abstractions;
using Text2Lora.Encoders;
using Text2Lora.Hypernetworks;

namespace Text2Lora.LoraGeneration;

/// <summary>
/// The description encoder of a loaded hypernetwork, decided in one place for every entry point (builder, DI,
/// CLI, trainers' checks): the encoder the checkpoint records (<c>args.yaml: emb_model</c> or
/// <c>hypernetwork.json: encoder_id</c> and <c>description_format</c>) through <see cref="TaskEncoderSelection"/>,
/// or an explicit override.
/// </summary>
public static class CheckpointTaskEncoder
{
    /// <summary>
    /// The encoder <paramref name="hypernetwork"/> needs; <paramref name="overrideName"/> (a folder or id) replaces
    /// where it comes from but keeps the checkpoint's description format. A hypernetwork that records no encoder
    /// (not a <see cref="T2LHypernetwork"/>) gets MiniLM, Text2Lora's default.
    /// </summary>
    /// <exception cref="UnsupportedTaskEncoderException">The recorded encoder is not supported; names the value and the supported ones.</exception>
    public static TaskEncoderChoice Choose(IHypernetwork hypernetwork, string? overrideName = null)
    {
        ArgumentNullException.ThrowIfNull(hypernetwork);
        if (hypernetwork is not T2LHypernetwork t2l)
        {
            return overrideName is null ? TaskEncoderSelection.Choose(MiniLmTaskEncoder.ModelId) : TaskEncoderSelection.Choose(overrideName, source: "the encoder override");
        }

        TaskEncoderChoice recorded;
        try
        {
            recorded = TaskEncoderSelection.Choose(t2l.EncoderId, t2l.DescriptionFormat, "the hypernetwork checkpoint's encoder");
        }
        catch (UnsupportedTaskEncoderException) when (overrideName is not null)
        {
            // An encoder id we do not know, replaced explicitly: the override's name decides; a recorded format still wins.
            var named = TaskEncoderSelection.Choose(overrideName, t2l.DescriptionFormat, "the encoder override");
            return named;
        }

        return overrideName is null ? recorded : TaskEncoderSelection.Override(recorded, overrideName);
    }

    /// <summary>
    /// Loads the encoder <see cref="Choose"/> gives, for a hypernetwork loaded from <paramref name="checkpointDirectory"/>;
    /// the base-model branch embeds with <paramref name="context"/>'s base model, else loads the folder given there or
    /// the one the checkpoint names. The caller owns the result.
    /// </summary>
    public static FormattedTaskEncoder Load(
        IHypernetwork hypernetwork, string? checkpointDirectory, string? overrideName, TaskEncoderLoadContext context,
        IModelFolderResolver? resolver = null, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var choice = Choose(hypernetwork, overrideName);
        if (checkpointDirectory is not null && File.Exists(checkpointDirectory))
        {
            checkpointDirectory = Path.GetDirectoryName(Path.GetFullPath(checkpointDirectory));
        }

        context = context with
        {
            CheckpointDirectory = context.CheckpointDirectory ?? checkpointDirectory,
            BaseModelDirectory = context.BaseModelDirectory ?? (hypernetwork as T2LHypernetwork)?.BaseModelId,
        };
        return new TaskEncoderLoader(resolver, loggerFactory).Load(choice, context, cancellationToken);
    }
}
