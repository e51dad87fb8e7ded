using Text2Lora.IO.Peft;
using Text2Lora.Lora;
using static TorchSharp.torch;

namespace Text2Lora.Training.Reconstruction;

/// <summary>
/// The oracle adapters a reconstruction hypernetwork learns to reproduce, stacked per target module across tasks and
/// layers: A [K, L, r, in] and B [K, L, out, r] for K tasks. All adapters must share rank, scaling and target modules.
/// Owns its tensors.
/// </summary>
internal sealed class AdapterLibrary : IDisposable
{
    private readonly Dictionary<string, (Tensor A, Tensor B)> _factors;

    private AdapterLibrary(LoraConfig config, LoraTargetDescription targets, Dictionary<string, (Tensor A, Tensor B)> factors)
    {
        Config = config;
        Targets = targets;
        _factors = factors;
    }

    /// <summary>The shared PEFT config (of the first adapter).</summary>
    public LoraConfig Config { get; }

    /// <summary>Layer count and the adapted modules, in the base model's canonical order.</summary>
    public LoraTargetDescription Targets { get; }

    /// <summary>Stacked factors of module <paramref name="name"/>.</summary>
    public (Tensor A, Tensor B) this[string name] => _factors[name];

    /// <summary>The shared LoRA scaling (alpha / r, rsLoRA included) of every module.</summary>
    public double Scaling { get; private init; }

    /// <summary>Loads <paramref name="tasks"/>' adapters from <c>adaptersDirectory/&lt;task&gt;</c>.</summary>
    /// <exception cref="AdapterFormatException">An adapter is missing, malformed or does not match the others or the base model; names its folder.</exception>
    public static AdapterLibrary Load(string adaptersDirectory, IReadOnlyList<string> tasks, LoraTargetDescription baseModel) =>
        LoadFolders([.. tasks.Select(task => (Path.Combine(adaptersDirectory, task), $"task '{task}'"))], baseModel, reference: null);

    /// <summary>
    /// Loads the multi-task LoRA [mt_lora_path] whose factors the reference subtracts from every target, as a
    /// one-adapter library (A [1, L, r, in], B [1, L, out, r]) that must adapt exactly this library's modules with
    /// its rank, shapes and scaling.
    /// </summary>
    /// <exception cref="AdapterFormatException">The folder is missing or malformed, or the adapter does not match the library; names the folder and module.</exception>
    public AdapterLibrary LoadMatching(string folder, LoraTargetDescription baseModel) =>
        LoadFolders([(folder, "the multi-task LoRA")], baseModel, reference: this);

    private static AdapterLibrary LoadFolders(IReadOnlyList<(string Folder, string What)> folders, LoraTargetDescription baseModel, AdapterLibrary? reference)
    {
        var adapters = new List<LoraAdapter>();
        try
        {
            foreach (var (folder, what) in folders)
            {
                if (!Directory.Exists(folder))
                {
                    throw new AdapterFormatException(folder, null, $"the adapter folder of {what} does not exist.");
                }

                adapters.Add(PeftAdapterFolder.Load(folder));
            }

            var first = adapters[0];
            var firstFolder = reference is null ? folders[0].Folder : "the adapter library";
            var targets = reference?.Targets ?? TargetsOf(first, baseModel, firstFolder);
            var (rank, scaling) = reference is null ? (first.Modules.First().Value.Rank, first.Modules.First().Value.Scaling) : (reference.Config.R, reference.Scaling);
            for (var k = 0; k < adapters.Count; k++)
            {
                var folder = folders[k].Folder;
                foreach (var module in targets.Modules)
                {
                    for (var layer = 0; layer < targets.LayerCount; layer++)
                    {
                        var path = module.PathForLayer(layer);
                        var weights = adapters[k].Find(path)
                            ?? throw new AdapterFormatException(folder, path, $"has no factors for '{path}', which '{firstFolder}' adapts; a library's adapters must adapt the same modules.");
                        if (weights.Rank != rank || weights.InFeatures != module.InFeatures || weights.OutFeatures != module.OutFeatures
                            || Math.Abs(weights.Scaling - scaling) > 1e-12)
                        {
                            throw new AdapterFormatException(folder, path, $"rank {weights.Rank}, shape [{weights.OutFeatures}, {weights.InFeatures}], scaling {weights.Scaling} do not match rank {rank}, the base model's [{module.OutFeatures}, {module.InFeatures}] and scaling {scaling}.");
                        }
                    }
                }

                if (adapters[k].Modules.Count != targets.LayerCount * targets.Modules.Count)
                {
                    throw new AdapterFormatException(folder, null, $"adapts {adapters[k].Modules.Count} modules; '{firstFolder}' adapts {targets.LayerCount * targets.Modules.Count}.");
                }
            }

            var factors = new Dictionary<string, (Tensor A, Tensor B)>(StringComparer.Ordinal);
            foreach (var module in targets.Modules)
            {
                using var scope = NewDisposeScope();
                var a = stack(adapters.Select(ad => stack(Enumerable.Range(0, targets.LayerCount).Select(l => ad.Find(module.PathForLayer(l))!.A.to(ScalarType.Float32)).ToList())).ToList());
                var b = stack(adapters.Select(ad => stack(Enumerable.Range(0, targets.LayerCount).Select(l => ad.Find(module.PathForLayer(l))!.B.to(ScalarType.Float32)).ToList())).ToList());
                factors[module.Name] = (a.MoveToOuterDisposeScope(), b.MoveToOuterDisposeScope());
            }

            var config = first.Config.Clone();
            config.TargetModules = TargetModules.FromNames(targets.Modules.Select(m => m.Name));
            return new AdapterLibrary(config, targets, factors) { Scaling = scaling };
        }
        finally
        {
            adapters.ForEach(a => a.Dispose());
        }
    }

    private static LoraTargetDescription TargetsOf(LoraAdapter adapter, LoraTargetDescription baseModel, string folder)
    {
        var names = baseModel.Modules.Where(m => Enumerable.Range(0, baseModel.LayerCount).Any(l => adapter.Find(m.PathForLayer(l)) is not null)).ToArray();
        if (names.Length == 0)
        {
            throw new AdapterFormatException(folder, null, "the adapter adapts no module of the base model.");
        }

        return new LoraTargetDescription(baseModel.LayerCount, names);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var (a, b) in _factors.Values)
        {
            a.Dispose();
            b.Dispose();
        }

        _factors.Clear();
    }
}
