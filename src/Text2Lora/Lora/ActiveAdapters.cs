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

    /// <summary>
    /// One adapter for the whole batch, cast to <paramref name="dtype"/> / moved to <paramref name="device"/> when given.
    /// <paramref name="dropout"/> (training only) drops out the input of each LoRA branch, as PEFT's <c>lora_dropout</c>.
    /// </summary>
    public static ActiveAdapters Shared(LoraAdapter adapter, Device? device = null, ScalarType? dtype = null, double dropout = 0)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        CheckDropout(dropout);
        var owned = new List<Tensor>();
        var modules = new Dictionary<string, LoraFactors>(StringComparer.Ordinal);
        foreach (var (path, weights) in adapter.Modules)
        {
            modules[path] = LoraFactors.Shared(Convert(weights.A, device, dtype, owned), Convert(weights.B, device, dtype, owned), weights.Scaling, dropout);
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

    /// <summary>
    /// A different adapter for each sequence, from factors stacked over sequences and layers, as a hypernetwork emits
    /// them: for each target module name, A [N, L, r, in] and B [N, L, out, r]; row i of the batch gets slice i. The
    /// per-layer factors are views, so nothing is copied and gradients reach whatever produced the stacks (SFT of a
    /// hypernetwork). The stacks stay owned by the caller and must outlive the result.
    /// </summary>
    /// <param name="targets">The base model's layer count and the target modules (their names key <paramref name="factors"/>).</param>
    /// <param name="factors">Stacked factors per target module name.</param>
    /// <param name="scalingFor">PEFT scaling of a module path (e.g. <see cref="LoraConfig.ScalingFor"/>).</param>
    /// <param name="dropout">LoRA dropout on each branch's input (training only; 0: none).</param>
    /// <param name="dtype">
    /// The base model's compute dtype when it differs from the stacks' (fp32 hypernetwork output on a bf16 base): the
    /// stacks are cast once, differentiably, so the LoRA branch computes in the base model's dtype while gradients
    /// reach the fp32 producer — autocast at the adapter boundary, as <c>torch.autocast</c> casts a matmul's operands.
    /// </param>
    public static ActiveAdapters PerSequenceStacked(LoraTargetDescription targets, IReadOnlyDictionary<string, (Tensor A, Tensor B)> factors, Func<string, double> scalingFor, double dropout = 0, ScalarType? dtype = null)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(factors);
        ArgumentNullException.ThrowIfNull(scalingFor);
        CheckDropout(dropout);
        int? batch = null;
        var owned = new List<Tensor>();
        var modules = new Dictionary<string, LoraFactors>(StringComparer.Ordinal);
        try
        {
            foreach (var (name, (stackedA, stackedB)) in factors)
            {
                var a = Convert(stackedA, device: null, dtype, owned);
                var b = Convert(stackedB, device: null, dtype, owned);
                var module = targets.Get(name);
                if (a.dim() != 4 || b.dim() != 4 || a.shape[1] != targets.LayerCount || b.shape[1] != targets.LayerCount
                    || a.shape[3] != module.InFeatures || b.shape[2] != module.OutFeatures || a.shape[2] != b.shape[3] || a.shape[0] != b.shape[0])
                {
                    throw new ArgumentException($"Stacked factors of '{name}' must be A [N, {targets.LayerCount}, r, {module.InFeatures}] and B [N, {targets.LayerCount}, {module.OutFeatures}, r]; got A [{string.Join(", ", a.shape)}] and B [{string.Join(", ", b.shape)}].", nameof(factors));
                }

                if (batch is { } n && n != a.shape[0])
                {
                    throw new ArgumentException($"Stacked factors disagree on the batch size: {n} vs {a.shape[0]} ('{name}').", nameof(factors));
                }

                batch = (int)a.shape[0];
                for (var layer = 0; layer < targets.LayerCount; layer++)
                {
                    var path = module.PathForLayer(layer);
                    var aLayer = a.select(1, layer);
                    owned.Add(aLayer);
                    var bLayer = b.select(1, layer);
                    owned.Add(bLayer);
                    var s = full(a.shape[0], 1, 1, scalingFor(path), a.dtype, a.device);
                    owned.Add(s);
                    modules[path] = LoraFactors.PerSequence(aLayer, bLayer, s, dropout);
                }
            }
        }
        catch
        {
            owned.ForEach(t => t.Dispose());
            throw;
        }

        if (batch is null)
        {
            throw new ArgumentException("At least one target module's factors are required.", nameof(factors));
        }

        return new ActiveAdapters(modules, owned, batch);
    }

    /// <summary>The factors for the module at <paramref name="modulePath"/>, or null when it is not adapted.</summary>
    internal LoraFactors? For(string modulePath) => _modules.GetValueOrDefault(modulePath);

    /// <summary>Every adapted module path with its factors.</summary>
    internal IReadOnlyDictionary<string, LoraFactors> Modules => _modules;

    private static void CheckDropout(double dropout)
    {
        if (!(dropout >= 0 && dropout < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(dropout), dropout, "LoRA dropout must be in [0, 1).");
        }
    }

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
