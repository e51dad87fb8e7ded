using static TorchSharp.torch;

namespace Text2Lora.Encoders;

/// <summary>
/// The one rule that picks a hypernetwork's description encoder from its recorded name, as the T2L reference does
/// (<c>load_hypermod_checkpoint</c> and <c>get_emb_model_and_fns</c> in <c>hyper_llm_modulator</c>):
/// <list type="bullet">
/// <item><c>""</c>: the base model itself, <c>add_full_stop</c>, last-token pooling (bfloat16 in the reference).</item>
/// <item>a name containing <c>SFR</c> (checked first, as the reference does): the SFR instruction template (no full
/// stop), last-token pooling; a Mistral model.</item>
/// <item>a name containing <c>gte</c>: <c>add_full_stop</c>, CLS pooling, float32.</item>
/// <item><c>sentence-transformers/all-MiniLM-L6-v2</c>: Text2Lora's own default (whitespace collapsed).</item>
/// </list>
/// Anything else fails with <see cref="UnsupportedTaskEncoderException"/> (the reference would fail too: it has no
/// pooling for other names). The checks are case-sensitive substrings of the whole name or path, as in the reference.
/// </summary>
public static class TaskEncoderSelection
{
    /// <summary>The hub id of gte-large-en-v1.5, the encoder of every released T2L checkpoint; <c>"gte"</c> is accepted as its short name.</summary>
    public const string GteLargeId = GteTaskEncoder.ReferenceModelId;

    /// <summary>The short name trainer configs may use for <see cref="GteLargeId"/>.</summary>
    public const string GteShortName = "gte";

    /// <summary>The supported encoder names, in words, for error messages.</summary>
    public static string SupportedDescription { get; } =
        $"\"\" (the base model itself), a hub id or folder whose name contains \"gte\" (e.g. {GteLargeId}), one whose name contains \"SFR\" (e.g. Salesforce/SFR-Embedding-Mistral), or {MiniLmTaskEncoder.ModelId}";

    /// <summary>
    /// The encoder for recorded name <paramref name="name"/>; <paramref name="recordedFormat"/> (from a
    /// <c>hypernetwork.json</c>) overrides the format the rule derives.
    /// </summary>
    /// <param name="name">The recorded or configured encoder: hub id, folder, <c>"gte"</c>, or empty for the base model.</param>
    /// <param name="recordedFormat">The preprocessing a checkpoint recorded, if any.</param>
    /// <param name="source">Where <paramref name="name"/> came from, for the error message.</param>
    /// <exception cref="UnsupportedTaskEncoderException">The name matches no supported encoder.</exception>
    public static TaskEncoderChoice Choose(string? name, DescriptionFormat? recordedFormat = null, string? source = null)
    {
        name ??= string.Empty;
        if (name == GteShortName)
        {
            name = GteLargeId;
        }

        var choice = name switch
        {
            "" => new TaskEncoderChoice(name, TaskEncoderFamily.BaseModel, DescriptionFormat.AddFullStop, ReferenceDType(name)),
            _ when name.Contains("SFR", StringComparison.Ordinal) => new TaskEncoderChoice(name, TaskEncoderFamily.Sfr, DescriptionFormat.SfrInstruction, ReferenceDType(name)),
            _ when name.Contains("gte", StringComparison.Ordinal) => new TaskEncoderChoice(name, TaskEncoderFamily.Gte, DescriptionFormat.AddFullStop, ScalarType.Float32),
            MiniLmTaskEncoder.ModelId => new TaskEncoderChoice(name, TaskEncoderFamily.MiniLm, DescriptionFormat.CollapseWhitespace, ScalarType.Float32),
            _ => throw new UnsupportedTaskEncoderException(name, source),
        };
        return recordedFormat is { } format ? choice with { Format = format } : choice;
    }

    /// <summary>
    /// The encoder for an explicit override <paramref name="name"/> (<c>--encoder</c>, an option) of a hypernetwork
    /// whose own encoder is <paramref name="checkpointChoice"/>: the family comes from the override's name when the
    /// rule recognises it, otherwise it stays the checkpoint's (a local copy in a folder of any name); the description
    /// format always stays the checkpoint's, because it is part of what the hypernetwork was trained on.
    /// </summary>
    public static TaskEncoderChoice Override(TaskEncoderChoice checkpointChoice, string name)
    {
        ArgumentNullException.ThrowIfNull(checkpointChoice);
        ArgumentNullException.ThrowIfNull(name);
        TaskEncoderChoice named;
        try
        {
            named = Choose(name);
        }
        catch (UnsupportedTaskEncoderException)
        {
            named = checkpointChoice with { Id = name };
        }

        return named with { Format = checkpointChoice.Format };
    }

    // get_emb_model_and_fns: torch.float32 if "gte" in emb_model_name else torch.bfloat16; the base model is loaded in bfloat16.
    private static ScalarType ReferenceDType(string name) =>
        name.Contains("gte", StringComparison.Ordinal) ? ScalarType.Float32 : ScalarType.BFloat16;
}
