using Text2Lora.Abstractions;
using static TorchSharp.torch;

namespace Text2Lora.Encoders;

/// <summary>
/// A description encoder together with its preprocessing: every description is formatted
/// (<see cref="DescriptionFormatting.Apply"/>) and the formatted text, exactly, goes to the inner encoder (and is
/// the key of an inner <see cref="CachingTaskEncoder"/>). The output is what the hypernetwork receives. Disposing it
/// disposes what it was given to own.
/// </summary>
public sealed class FormattedTaskEncoder : ITaskEncoder, IDisposable
{
    private readonly ITaskEncoder _inner;
    private readonly IDisposable[] _owned;

    /// <summary>Formats with <paramref name="format"/> before <paramref name="inner"/>; the caller keeps ownership of <paramref name="inner"/>.</summary>
    public FormattedTaskEncoder(DescriptionFormat format, ITaskEncoder inner)
        : this(format, inner, [])
    {
    }

    internal FormattedTaskEncoder(DescriptionFormat format, ITaskEncoder inner, IDisposable[] owned)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (!Enum.IsDefined(format))
        {
            throw new ArgumentOutOfRangeException(nameof(format), format, "unknown description format");
        }

        Format = format;
        _inner = inner;
        _owned = owned;
    }

    /// <summary>The preprocessing applied to every description.</summary>
    public DescriptionFormat Format { get; }

    /// <summary>The encoder that receives the formatted text.</summary>
    public ITaskEncoder Inner => _inner;

    /// <inheritdoc />
    public string Id => _inner.Id;

    /// <inheritdoc />
    public int EmbeddingSize => _inner.EmbeddingSize;

    /// <summary>The exact text the inner encoder sees for <paramref name="description"/>.</summary>
    /// <exception cref="ArgumentException">The description is null, empty or whitespace only.</exception>
    public string FormatDescription(string description) => DescriptionFormatting.Apply(Format, description);

    /// <inheritdoc />
    /// <exception cref="ArgumentException">A description is null, empty or whitespace only.</exception>
    public Tensor Encode(IReadOnlyList<string> descriptions, CancellationToken cancellationToken = default) =>
        _inner.Encode([.. TaskDescriptions.Validate(descriptions, nameof(descriptions)).Select(FormatDescription)], cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
    }
}
