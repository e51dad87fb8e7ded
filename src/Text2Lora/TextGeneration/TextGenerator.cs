using System.Text;
using Text2Lora.Abstractions;
using Text2Lora.Lora;
using Text2Lora.Tokenization;

namespace Text2Lora.TextGeneration;

/// <summary>
/// Text generation over a base model and its tokenizer — the one place that turns generated ids into text for
/// <c>t2l run</c>, the evaluation adapter and the chat client: stops at text stop strings (decode-aware: the
/// continuation is decoded after every token and generation ends as soon as it contains a stop string, which is cut
/// off together with everything after it) and streams the text as it grows.
/// </summary>
public sealed class TextGenerator
{
    /// <summary>Generates with <paramref name="model"/>, decoding with <paramref name="tokenizer"/>.</summary>
    public TextGenerator(IBaseModel model, ITextTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        Model = model;
        Tokenizer = tokenizer;
    }

    /// <summary>The base model.</summary>
    public IBaseModel Model { get; }

    /// <summary>The tokenizer that decodes the continuation.</summary>
    public ITextTokenizer Tokenizer { get; }

    /// <summary>
    /// The end-of-sequence ids generation stops at when <see cref="GenerationOptions.EosTokenIds"/> is not set: the
    /// config's and the tokenizer's (instruct models end a turn with the tokenizer's EOS, e.g. <c>&lt;|eot_id|&gt;</c>).
    /// </summary>
    public IReadOnlyList<int> DefaultEosTokenIds => [.. Model.Info.EosTokenIds.Union(Tokenizer.EosTokenIds)];

    /// <summary>
    /// Continues <paramref name="promptIds"/> and returns the new text.
    /// </summary>
    /// <param name="promptIds">The prompt's token ids (special tokens included as the model expects them).</param>
    /// <param name="options">Decoding settings (greedy unless a temperature is set); null: defaults.</param>
    /// <param name="stopStrings">Text that ends generation; the result stops before the first one.</param>
    /// <param name="adapters">Runtime LoRA, prepared for one sequence (null: none).</param>
    /// <param name="onTextDelta">Receives the text as it is produced, in pieces that concatenate to the result's text;
    /// text that could still become a stop string (or is an incomplete character) is held back until it is final.</param>
    /// <param name="cancellationToken">Cancels between decoding steps.</param>
    /// <exception cref="ArgumentException">No prompt tokens, or an empty stop string.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public TextCompletion Generate(
        IReadOnlyList<int> promptIds,
        GenerationOptions? options = null,
        IReadOnlyList<string>? stopStrings = null,
        ActiveAdapters? adapters = null,
        Action<string>? onTextDelta = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(promptIds);
        var stops = StopStrings.Validate(stopStrings, nameof(stopStrings));
        options ??= new GenerationOptions();
        var shown = new StringBuilder();
        var callerStop = options.StopWhen;
        var watchText = stops.Count > 0 || onTextDelta is not null;
        var effective = options with
        {
            EosTokenIds = options.EosTokenIds ?? DefaultEosTokenIds,
            StopWhen = !watchText ? callerStop : (row, tokens) =>
            {
                var text = Tokenizer.Decode(tokens);
                var match = StopStrings.FirstMatch(text, stops);
                Show(text, match >= 0 ? match : StopStrings.StreamableLength(text, stops), shown, onTextDelta);
                return match >= 0 || callerStop?.Invoke(row, tokens) == true;
            },
        };

        using var result = Model.Generate([promptIds], effective, adapters, cancellationToken);
        var sequence = result.Sequences[0];
        var decoded = Tokenizer.Decode(sequence.TokenIds);
        var stopAt = StopStrings.FirstMatch(decoded, stops);
        var final = stopAt >= 0 ? decoded[..stopAt] : decoded;
        Show(final, final.Length, shown, onTextDelta);
        var reason = stopAt >= 0 ? FinishReason.StopSequence : sequence.FinishReason;
        return new TextCompletion(final, sequence.TokenIds, reason);
    }

    /// <summary>Passes on the part of <paramref name="text"/>'s first <paramref name="length"/> characters not shown yet.</summary>
    private static void Show(string text, int length, StringBuilder shown, Action<string>? onTextDelta)
    {
        // Decoding a longer prefix never changes the text before it except where a partial character completes,
        // which StreamableLength holds back; should a tokenizer still rewrite shown text, nothing is repeated.
        if (onTextDelta is null || length <= shown.Length)
        {
            return;
        }

        var delta = text[shown.Length..length];
        shown.Append(delta);
        onTextDelta(delta);
    }
}
