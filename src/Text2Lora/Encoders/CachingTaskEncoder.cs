using Text2Lora.Abstractions;
using static TorchSharp.torch;

namespace Text2Lora.Encoders;

/// <summary>
/// Wraps a task encoder with a least-recently-used cache of embeddings keyed by the exact text given to it (ordinal:
/// case and whitespace count; put it under a <see cref="FormattedTaskEncoder"/> so the key is the exact encoder
/// input). Each
/// <see cref="Encode"/> call embeds all of its cache misses in one batched call to the inner encoder.
/// Thread-safe when the inner encoder is. Created through the public constructor it does not own the inner encoder.
/// </summary>
public sealed class CachingTaskEncoder : ITaskEncoder, IDisposable
{
    private readonly bool _ownsInner;
    private readonly ITaskEncoder _inner;
    private readonly int _capacity;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkedListNode<(string Key, float[] Vector)>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Key, float[] Vector)> _recency = new();

    /// <summary>Caches up to <paramref name="capacity"/> embeddings of <paramref name="inner"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is not positive.</exception>
    public CachingTaskEncoder(ITaskEncoder inner, int capacity)
        : this(inner, capacity, ownsInner: false)
    {
    }

    internal CachingTaskEncoder(ITaskEncoder inner, int capacity, bool ownsInner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _inner = inner;
        _capacity = capacity;
        _ownsInner = ownsInner;
    }

    /// <inheritdoc />
    public string Id => _inner.Id;

    /// <inheritdoc />
    public int EmbeddingSize => _inner.EmbeddingSize;

    /// <summary>Number of embeddings currently cached.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">A description is null, empty or whitespace only.</exception>
    public Tensor Encode(IReadOnlyList<string> descriptions, CancellationToken cancellationToken = default)
    {
        var keys = TaskDescriptions.Validate(descriptions, nameof(descriptions));
        var vectors = new float[keys.Length][];
        var misses = new List<string>();
        lock (_gate)
        {
            for (var i = 0; i < keys.Length; i++)
            {
                if (TryGet(keys[i]) is { } vector)
                {
                    vectors[i] = vector;
                }
                else if (!misses.Contains(keys[i]))
                {
                    misses.Add(keys[i]);
                }
            }
        }

        if (misses.Count > 0)
        {
            var embedded = EmbedMisses(misses, cancellationToken);
            lock (_gate)
            {
                for (var j = 0; j < misses.Count; j++)
                {
                    Add(misses[j], embedded[j]);
                }
            }

            for (var i = 0; i < keys.Length; i++)
            {
                vectors[i] ??= embedded[misses.IndexOf(keys[i])];
            }
        }

        var size = EmbeddingSize;
        var flat = new float[keys.Length * size];
        for (var i = 0; i < keys.Length; i++)
        {
            vectors[i].CopyTo(flat, i * size);
        }

        return tensor(flat, [keys.Length, size]);
    }

    private float[][] EmbedMisses(List<string> misses, CancellationToken cancellationToken)
    {
        using var batch = _inner.Encode(misses, cancellationToken);
        if (batch.dim() != 2 || batch.shape[0] != misses.Count || batch.shape[1] != EmbeddingSize)
        {
            throw new InvalidOperationException(
                $"Task encoder '{Id}' returned shape [{string.Join(", ", batch.shape)}] for {misses.Count} descriptions; expected [{misses.Count}, {EmbeddingSize}].");
        }

        using var cpu = batch.to(ScalarType.Float32, CPU);
        var flat = cpu.data<float>().ToArray();
        return [.. Enumerable.Range(0, misses.Count).Select(j => flat.AsSpan(j * EmbeddingSize, EmbeddingSize).ToArray())];
    }

    private float[]? TryGet(string key)
    {
        if (!_entries.TryGetValue(key, out var node))
        {
            return null;
        }

        _recency.Remove(node);
        _recency.AddFirst(node);
        return node.Value.Vector;
    }

    private void Add(string key, float[] vector)
    {
        if (_entries.TryGetValue(key, out var existing))
        {
            _recency.Remove(existing);
        }

        var node = _recency.AddFirst((key, vector));
        _entries[key] = node;
        while (_entries.Count > _capacity)
        {
            var last = _recency.Last!;
            _recency.RemoveLast();
            _entries.Remove(last.Value.Key);
        }
    }

    /// <summary>Disposes the inner encoder when this cache owns it (as the DI registration and the builder arrange).</summary>
    public void Dispose()
    {
        if (_ownsInner && _inner is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }
}
