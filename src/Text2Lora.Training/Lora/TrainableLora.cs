using Text2Lora.Lora;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Text2Lora.Training.Lora;

/// <summary>
/// The trainable factors of one LoRA adapter: for every target path, A [r, in] initialised as PEFT does
/// (<c>kaiming_uniform_(a=√5)</c>, i.e. U(±1/√in)) and B [out, r] = 0, so training starts from the base model.
/// <see cref="Adapter"/> views the parameters as a <see cref="LoraAdapter"/> for the runtime LoRA path and for saving.
/// </summary>
internal sealed class TrainableLora : nn.Module
{
    private readonly ParameterDict _factors = new();
    private readonly LoraAdapter _adapter;

    /// <param name="config">The adapter's configuration.</param>
    /// <param name="targets">The modules and their shapes.</param>
    /// <param name="seed">Seed of A's initialisation.</param>
    /// <param name="device">Where the factors (and so the optimizer state) live; the generator is created there too, as a draw needs one on the tensor's device. Default: CPU.</param>
    public TrainableLora(LoraConfig config, LoraTargetDescription targets, long seed, Device? device = null)
        : base(nameof(TrainableLora))
    {
        device ??= CPU;
        // Its own generator: the loop seeds the global one only when it starts, after the objective exists.
        using var generator = new Generator(unchecked((ulong)seed), device);
        var modules = new List<KeyValuePair<string, LoraWeights>>();
        foreach (var module in targets.Modules)
        {
            for (var layer = 0; layer < targets.LayerCount; layer++)
            {
                var path = module.PathForLayer(layer);
                var bound = 1.0 / Math.Sqrt(module.InFeatures);
                var a = new Parameter(empty(config.R, module.InFeatures, device: device).uniform_(-bound, bound, generator));
                var b = new Parameter(zeros(module.OutFeatures, config.R, device: device));
                // Parameter names may not contain dots.
                _factors.Add((ParameterName(path, "A"), a));
                _factors.Add((ParameterName(path, "B"), b));
                modules.Add(KeyValuePair.Create(path, new LoraWeights(a, b, config.ScalingFor(path))));
            }
        }

        _adapter = new LoraAdapter(config, modules);
        RegisterComponents();
    }

    /// <summary>The factors as an adapter (views of the parameters: do not dispose it; disposing this module frees them).</summary>
    public LoraAdapter Adapter => _adapter;

    private static string ParameterName(string path, string factor) => $"{path.Replace('.', '_')}_{factor}";
}
