using static TorchSharp.torch;

namespace Text2Lora.Lora;

/// <summary>
/// A LoRA adapter: its PEFT config and the factors of every adapted module, keyed by module path
/// (e.g. <c>model.layers.0.self_attn.q_proj</c>, the key PEFT writes without its
/// <c>base_model.model.</c> prefix and <c>.lora_A.weight</c> suffix). Owns its tensors.
/// </summary>
public sealed class LoraAdapter : IDisposable
{
    private readonly Dictionary<string, LoraWeights> _modules;

    /// <summary>Creates an adapter; takes ownership of the weights.</summary>
    public LoraAdapter(LoraConfig config, IEnumerable<KeyValuePair<string, LoraWeights>> modules, string? taskDescription = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(modules);
        Config = config;
        _modules = new Dictionary<string, LoraWeights>(modules, StringComparer.Ordinal);
        TaskDescription = taskDescription;
    }

    /// <summary>The PEFT config (rank, alpha, target modules, ...).</summary>
    public LoraConfig Config { get; }

    /// <summary>Adapted modules by path, in a stable (ordinal) order.</summary>
    public IReadOnlyDictionary<string, LoraWeights> Modules => _modules;

    /// <summary>The task description the adapter was generated from, if any (saved as <c>task_desc.txt</c>).</summary>
    public string? TaskDescription { get; init; }

    /// <summary>The factors of <paramref name="modulePath"/>, or null when that module is not adapted.</summary>
    public LoraWeights? Find(string modulePath) => _modules.GetValueOrDefault(modulePath);

    /// <summary>Copies every factor to <paramref name="device"/> and <paramref name="dtype"/> (a new adapter).</summary>
    public LoraAdapter To(Device device, ScalarType? dtype = null)
    {
        var modules = _modules.Select(kv =>
        {
            var a = dtype is { } t ? kv.Value.A.to(t, device) : kv.Value.A.to(device, copy: true);
            var b = dtype is { } u ? kv.Value.B.to(u, device) : kv.Value.B.to(device, copy: true);
            return KeyValuePair.Create(kv.Key, new LoraWeights(a, b, kv.Value.Scaling));
        });
        return new LoraAdapter(Config.Clone(), modules.ToList(), TaskDescription);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var weights in _modules.Values)
        {
            weights.Dispose();
        }

        _modules.Clear();
    }
}
