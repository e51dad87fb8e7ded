using Text2Lora.Lora;
using static TorchSharp.torch;

namespace Text2Lora.Tests.Infrastructure;

/// <summary>Hand-made adapters for tests that need one without a trainer.</summary>
internal static class TestAdapters
{
    /// <summary>A seeded r=4 LoRA on q_proj and v_proj of every layer, large enough to change a model's greedy text.</summary>
    public static LoraAdapter RandomQv(LoraTargetDescription targets, ulong seed = 11)
    {
        var generator = new Generator(seed);
        var modules = new List<KeyValuePair<string, LoraWeights>>();
        foreach (var module in targets.Modules.Where(m => m.Name is "q_proj" or "v_proj"))
        {
            for (var layer = 0; layer < targets.LayerCount; layer++)
            {
                modules.Add(KeyValuePair.Create(
                    module.PathForLayer(layer),
                    new LoraWeights(randn([4, module.InFeatures], generator: generator) * 0.5, randn([module.OutFeatures, 4], generator: generator) * 0.5, 2.0)));
            }
        }

        return new LoraAdapter(new LoraConfig { R = 4, LoraAlpha = 8, TargetModules = TargetModules.FromNames(["q_proj", "v_proj"]) }, modules);
    }
}
