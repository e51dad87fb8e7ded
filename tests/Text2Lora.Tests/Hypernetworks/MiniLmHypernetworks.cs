using Text2Lora.Hypernetworks;
using Text2Lora.Lora;
using Text2Lora.Models.Llama;
using Text2Lora.Tests.Infrastructure;
using static TorchSharp.torch;

namespace Text2Lora.Tests.Hypernetworks;

/// <summary>
/// Real (untrained, seeded) T2L hypernetworks that take all-MiniLM-L6-v2's 384-d embeddings and target the tiny
/// Llama fixture, for tests of the description → adapter path with no fake component.
/// </summary>
internal static class MiniLmHypernetworks
{
    public static T2LHypernetwork CreateM(long seed = 11)
    {
        var baseModel = FixturePaths.Get("llama", "model");
        var targets = LlamaFamilyConfig.Load(baseModel).LoraTargets();
        var modules = new[] { targets.Get("q_proj"), targets.Get("v_proj") };
        manual_seed(seed);
        var architecture = new HyperModulatorArchitecture { TaskEmbeddingSize = 384, LatentSize = 32, HeadInSize = 64, SharedABHead = true };
        var config = LoraConfig.Parse("""{"r": 4, "lora_alpha": 8, "use_rslora": true, "target_modules": ["q_proj", "v_proj"]}""");
        return new T2LHypernetwork(new HyperModulator(architecture, 4, targets.LayerCount, modules), config,
            new LoraTargetDescription(targets.LayerCount, modules), "sentence-transformers/all-MiniLM-L6-v2", baseModel);
    }
}
