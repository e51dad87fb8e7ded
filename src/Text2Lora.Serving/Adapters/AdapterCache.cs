using Text2Lora.Lora;
using Text2Lora.Serving.Api;

namespace Text2Lora.Serving.Adapters;

/// <summary>
/// The generated adapters kept in memory, least recently used evicted first once more than the capacity are held.
/// Adapters (native tensors) are added, used and disposed only on the scheduler thread; their metadata can be read
/// from any thread. Counts hits and misses for the metrics.
/// </summary>
internal sealed class AdapterCache : IDisposable
{
    private readonly object _gate = new();
    private readonly int _capacity;
    private readonly LinkedList<(AdapterEntry Entry, LoraAdapter Adapter)> _recency = new();
    private readonly Dictionary<string, LinkedListNode<(AdapterEntry Entry, LoraAdapter Adapter)>> _byId = new(StringComparer.Ordinal);
    private long _hits;
    private long _misses;

    public AdapterCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _byId.Count;
            }
        }
    }

    /// <summary>The adapter with this id, marked as most recently used; counts a hit or a miss (scheduler thread).</summary>
    public LoraAdapter? Use(string id)
    {
        lock (_gate)
        {
            if (_byId.TryGetValue(id, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                _hits++;
                return node.Value.Adapter;
            }

            _misses++;
            return null;
        }
    }

    /// <summary>Metadata of a cached adapter, or null (any thread; does not change the recency order).</summary>
    public AdapterEntry? Describe(string id)
    {
        lock (_gate)
        {
            return _byId.TryGetValue(id, out var node) ? node.Value.Entry : null;
        }
    }

    /// <summary>Every cached adapter's metadata, most recently used first (any thread).</summary>
    public IReadOnlyList<AdapterEntry> List()
    {
        lock (_gate)
        {
            return [.. _recency.Select(e => e.Entry)];
        }
    }

    /// <summary>Adds a freshly generated adapter as the most recently used (scheduler thread; the cache owns it).</summary>
    public void Add(AdapterEntry entry, LoraAdapter adapter)
    {
        lock (_gate)
        {
            if (_byId.ContainsKey(entry.Id))
            {
                throw new InvalidOperationException($"Adapter '{entry.Id}' is already cached.");
            }

            _byId[entry.Id] = _recency.AddFirst((entry, adapter));
        }
    }

    /// <summary>
    /// Evicts least recently used adapters beyond the capacity, except those in <paramref name="pinned"/> (in use by the
    /// batch being prepared), and disposes them (scheduler thread). Returns the evicted ids.
    /// </summary>
    public IReadOnlyList<string> Trim(IReadOnlySet<string> pinned)
    {
        var evicted = new List<(string Id, LoraAdapter Adapter)>();
        lock (_gate)
        {
            for (var node = _recency.Last; node is not null && _byId.Count > _capacity;)
            {
                var previous = node.Previous;
                if (!pinned.Contains(node.Value.Entry.Id))
                {
                    _recency.Remove(node);
                    _byId.Remove(node.Value.Entry.Id);
                    evicted.Add((node.Value.Entry.Id, node.Value.Adapter));
                }

                node = previous;
            }
        }

        foreach (var (_, adapter) in evicted)
        {
            adapter.Dispose();
        }

        return [.. evicted.Select(e => e.Id)];
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var (_, adapter) in _recency)
            {
                adapter.Dispose();
            }

            _recency.Clear();
            _byId.Clear();
        }
    }
}
