using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Text2Lora.Abstractions;
using static TorchSharp.torch;

namespace Text2Lora.Encoders;

/// <summary>
/// Base class of the task encoders: validates the descriptions (embedded exactly as given: preprocessing such as
/// <c>add_full_stop</c> is <see cref="FormattedTaskEncoder"/>'s job), truncates any that exceed the encoder's token limit with a logged warning, then lets the
/// derived class embed them. A new encoder (a BERT-family model from safetensors, the base LLM's pooled
/// hidden states) is one more subclass implementing the four abstract members.
/// </summary>
public abstract class TaskEncoder : ITaskEncoder
{
    private readonly ILogger _logger;

    /// <summary>Creates the base with a logger for truncation warnings (none: nothing is logged).</summary>
    protected TaskEncoder(ILogger? logger)
    {
        _logger = logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public abstract string Id { get; }

    /// <inheritdoc />
    public abstract int EmbeddingSize { get; }

    /// <summary>The most tokens (special tokens included) the encoder looks at; longer descriptions are truncated.</summary>
    public abstract int MaxTokens { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">A description is null, empty or whitespace only.</exception>
    public Tensor Encode(IReadOnlyList<string> descriptions, CancellationToken cancellationToken = default)
    {
        var texts = TaskDescriptions.Validate(descriptions, nameof(descriptions)).Select(PrepareText).ToArray();
        for (var i = 0; i < texts.Length; i++)
        {
            // A huge description is never tokenized (or handed to the model) whole: a prefix that overfills the encoder suffices.
            var window = DescriptionWindow.Prefix(texts[i], MaxTokens, CountTokens);
            var tokens = CountTokens(window);
            if (tokens > MaxTokens)
            {
                var characters = texts[i].Length;
                texts[i] = Truncate(window, MaxTokens);
                _logger.LogWarning(
                    "Task description {Index} ({Characters} characters) has {Tokens}{More} tokens; {Encoder} reads at most {MaxTokens}, so it was truncated to \"{Truncated}\".",
                    i, characters, tokens, window.Length < characters ? " or more" : "", Id, MaxTokens, texts[i]);
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (texts.Length == 0)
        {
            return zeros(0, EmbeddingSize);
        }

        return EncodeCore(texts, cancellationToken);
    }

    /// <summary>What the model is given for a (validated) description; the default is the text unchanged.</summary>
    protected virtual string PrepareText(string text) => text;

    /// <summary>Number of tokens <paramref name="text"/> takes, special tokens included.</summary>
    protected abstract int CountTokens(string text);

    /// <summary>The longest prefix of <paramref name="text"/> (in tokens) that fits <paramref name="maxTokens"/>.</summary>
    protected abstract string Truncate(string text, int maxTokens);

    /// <summary>Embeds non-empty descriptions that fit <see cref="MaxTokens"/> into a float32 CPU tensor [N, D].</summary>
    protected abstract Tensor EncodeCore(IReadOnlyList<string> descriptions, CancellationToken cancellationToken);
}
