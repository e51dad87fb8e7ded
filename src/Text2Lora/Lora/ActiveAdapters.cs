using TorchSharp;
using static TorchSharp.torch;

namespace Text2Lora.Lora;

/// <summary>
/// The adapters a forward pass or a generation applies at runtime, on top of unchanged base weights: one adapter
/// for every sequence, or a different adapter (or none) per sequence of the batch. Factors keep their autograd
/// history, so gradients of a loss reach whatever produced the adapters (e.g. a hypernetwork).
/// Dispose it after use; the source adapters stay owned by the caller and must outlive it.
/// </summary>
public sealed class ActiveAdapters : IDisposable
{
    private readonly Dictionary<string, LoraFactors> _modules;
    private readonly List<Tensor> _owned;

    private ActiveAdapters(Dictionary<string, LoraFactors> modules, List<Tensor> owned, int? batchSize)
    {
        _modules = modules;
        _owned = owned;
        BatchSize = batchSize;
    }

    /// <summary>The batch size per-sequence adapters were prepared for; null when one adapter serves any batch.</summary>
    public int? BatchSize { get; }

    /// <summary>Paths of the adapted modules.</summary>
    public IEnumerable<string> ModulePaths => _modules.Keys;

    /// <summary>One adapter for the whole batch, cast to <paramref name="dtype"/> / moved to <paramref name="device"/> when given.</summary>
    public static ActiveAdapters Shared(LoraAdapter adapter, Device? device = null, ScalarType? dtype = null)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        var owned = new List<Tensor>();
        var modules = new Dictionary<string, LoraFactors>(StringComparer.Ordinal);
        foreach (var (path, weights) in adapter.Modules)
        {
            modules[path] = LoraFactors.Shared(Convert(weights.A, device, dtype, owned), Convert(weights.B, device, dtype, owned), weights.Scaling);
        }

        return new ActiveAdapters(modules, owned, null);
    }

    /// <summary>
    /// A different adapter for each sequence: <paramref name="adapters"/>[i] applies to row i of the batch
    /// (null: no adapter for that row). Adapters may have different ranks and modules; missing modules and
    /// smaller ranks are zero-padded, which adds exactly nothing.
    /// </summary>
    public static ActiveAdapters PerSequence(IReadOnlyList<LoraAdapter?> adapters, Device? device = null, ScalarType? dtype = null)
    {
        ArgumentNullException.ThrowIfNull(adapters);
        if (adapters.Count == 0)
        {
            throw new ArgumentException("At least one sequence is required.", nameof(adapters));
        }

        var paths = adapters.Where(a => a is not null).SelectMany(a => a!.Modules.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var owned = new List<Tensor>();
        var modules = new Dictionary<string, LoraFactors>(StringComparer.Ordinal);
        try
        {
            foreach (var path in paths)
            {
                var present = adapters.Select(a => a?.Find(path)).ToArray();
                var reference = present.First(w => w is not null)!;
                var rank = present.Max(w => w?.Rank ?? 0);
                var inFeatures = reference.InFeatures;
                var outFeatures = reference.OutFeatures;
                var type = dtype ?? reference.A.dtype;
                var dev = device ?? reference.A.device;
                var aRows = new List<Tensor>();
                var bRows = new List<Tensor>();
                var scalings = new float[present.Length];
                Tensor a, b;
                using (var scope = NewDisposeScope())
                {
                    for (var i = 0; i < present.Length; i++)
                    {
                        var w = present[i];
                        if (w is null)
                        {
                            aRows.Add(zeros(rank, inFeatures, type, dev));
                            bRows.Add(zeros(outFeatures, rank, type, dev));
                            continue;
                        }

                        if (w.InFeatures != inFeatures || w.OutFeatures != outFeatures)
                        {
                            throw new ArgumentException($"Adapters disagree on the shape of '{path}': [{outFeatures}, {inFeatures}] vs [{w.OutFeatures}, {w.InFeatures}].", nameof(adapters));
                        }

                        // Zero rows of A / columns of B beyond an adapter's own rank leave B·A unchanged.
                        var pad = rank - w.Rank;
                        aRows.Add(nn.functional.pad(w.A.to(type, dev), [0, 0, 0, pad]));
                        bRows.Add(nn.functional.pad(w.B.to(type, dev), [0, pad]));
                        scalings[i] = (float)w.Scaling;
                    }

                    a = stack(aRows).MoveToOuterDisposeScope();
                    b = stack(bRows).MoveToOuterDisposeScope();
                }

                owned.Add(a);
                owned.Add(b);

                var s = tensor(scalings, [present.Length, 1, 1], type, dev);
                owned.Add(s);
                modules[path] = LoraFactors.PerSequence(a, b, s);
            }
        }
        catch
        {
            owned.ForEach(t => t.Dispose());
            throw;
        }

        return new ActiveAdapters(modules, owned, adapters.Count);
    }

    /// <summary>The factors for the module at <paramref name="modulePath"/>, or null when it is not adapted.</summary>
    internal LoraFactors? For(string modulePath) => _modules.GetValueOrDefault(modulePath);

    /// <summary>Every adapted module path with its factors.</summary>
    internal IReadOnlyDictionary<string, LoraFactors> Modules => _modules;

    private static Tensor Convert(Tensor t, Device? device, ScalarType? dtype, List<Tensor> owned)
    {
        var needsType = dtype is { } d && d != t.dtype;
        var needsDevice = device is not null && (device.type != t.device.type || device.index != t.device.index);
        if (!needsType && !needsDevice)
        {
            return t;
        }

        var converted = t.to(dtype ?? t.dtype, device ?? t.device);
        owned.Add(converted);
        return converted;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in _owned)
        {
            t.Dispose();
        }

        _owned.Clear();
        _modules.Clear();
    }
}
