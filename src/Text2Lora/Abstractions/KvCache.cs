using static TorchSharp.torch;

namespace Text2Lora.Abstractions;

/// <summary>
/// Key/value cache for incremental decoding: per layer K and V [N, kv_heads, capacity, head_dim].
/// New entries are copied into place (no concatenation, so a step costs O(new tokens), not O(prefix));
/// the capacity starts at what the caller expects to need soon and doubles when outgrown, never past
/// <see cref="MaxCapacity"/> (the model's context), so a huge token limit costs memory only as tokens are produced.
/// </summary>
internal sealed class KvCache : IDisposable
{
    private readonly Tensor[] _keys;
    private readonly Tensor[] _values;

    /// <param name="layers">Decoder layers.</param>
    /// <param name="batch">Sequences.</param>
    /// <param name="kvHeads">Key/value heads.</param>
    /// <param name="capacity">Positions allocated now (clamped to <paramref name="maxCapacity"/>).</param>
    /// <param name="headDim">Head size.</param>
    /// <param name="dtype">Element type.</param>
    /// <param name="device">Device.</param>
    /// <param name="maxCapacity">Most positions the cache may ever hold (the model's context); null: unbounded.</param>
    public KvCache(int layers, long batch, long kvHeads, long capacity, long headDim, ScalarType dtype, Device device, long? maxCapacity = null)
    {
        MaxCapacity = maxCapacity ?? long.MaxValue;
        capacity = Math.Max(1, Math.Min(capacity, MaxCapacity));
        _keys = new Tensor[layers];
        _values = new Tensor[layers];
        for (var i = 0; i < layers; i++)
        {
            _keys[i] = empty([batch, kvHeads, capacity, headDim], dtype, device).DetachFromDisposeScope();
            _values[i] = empty([batch, kvHeads, capacity, headDim], dtype, device).DetachFromDisposeScope();
        }
    }

    /// <summary>Tokens stored (the same for every layer once a forward pass completes).</summary>
    public long Length { get; private set; }

    /// <summary>Positions allocated now.</summary>
    public long Capacity => _keys[0].shape[2];

    /// <summary>Most positions the cache may hold.</summary>
    public long MaxCapacity { get; }

    /// <summary>
    /// Stores <paramref name="key"/>/<paramref name="value"/> [N, kv_heads, T, head_dim] of <paramref name="layer"/> after
    /// the current <see cref="Length"/> and returns views of all keys and values so far ([.., Length + T, ..]).
    /// Call <see cref="Advance"/> once every layer has appended.
    /// </summary>
    public (Tensor Keys, Tensor Values) Append(int layer, Tensor key, Tensor value)
    {
        var added = key.shape[2];
        if (Length + added > Capacity)
        {
            if (Length + added > MaxCapacity)
            {
                throw new InvalidOperationException($"The KV cache holds at most {MaxCapacity} positions (the model's context); {Length + added} were needed.");
            }

            Grow(Math.Min(Math.Max(Length + added, Capacity * 2), MaxCapacity));
        }

        using (var kSlot = _keys[layer].narrow(2, Length, added))
        using (var vSlot = _values[layer].narrow(2, Length, added))
        {
            kSlot.copy_(key);
            vSlot.copy_(value);
        }

        return (_keys[layer].narrow(2, 0, Length + added), _values[layer].narrow(2, 0, Length + added));
    }

    /// <summary>Marks <paramref name="tokens"/> more positions as filled.</summary>
    public void Advance(long tokens) => Length += tokens;

    private void Grow(long capacity)
    {
        for (var i = 0; i < _keys.Length; i++)
        {
            _keys[i] = Resize(_keys[i], capacity);
            _values[i] = Resize(_values[i], capacity);
        }
    }

    private Tensor Resize(Tensor old, long capacity)
    {
        // Grown inside a forward pass: the cache outlives that pass's dispose scope.
        var larger = empty([old.shape[0], old.shape[1], capacity, old.shape[3]], old.dtype, old.device).DetachFromDisposeScope();
        using (var target = larger.narrow(2, 0, Length))
        using (var source = old.narrow(2, 0, Length))
        {
            target.copy_(source);
        }

        old.Dispose();
        return larger;
    }

    public void Dispose()
    {
        foreach (var t in _keys.Concat(_values))
        {
            t.Dispose();
        }
    }
}
