using Text2Lora.Encoders;
using Text2Lora.Hypernetworks;
using Text2Lora.Hypernetworks.Checkpoints;
using Text2Lora.Lora;

namespace Text2Lora.Bench.Gte;

/// <summary>
/// Writes a random-weight T2L "M" hypernetwork (shared A/B head) for Mistral-7B shapes in Text2Lora's own format:
/// 32 layers, <c>q_proj</c> 4096→4096 and <c>v_proj</c> 4096→1024 (the reference M checkpoint's targets), rank 8,
/// 1024-d gte task embeddings, the reference's default sizes (latent 128, head_in 512). The native format records the
/// target shapes itself, so no base-model file is needed to load it or to generate from it.
/// </summary>
internal static class MistralHypernetwork
{
    public const int Layers = 32;
    public const int Hidden = 4096;

    /// <summary>Writes the folder and returns its path (the caller deletes it).</summary>
    public static string Write()
    {
        var directory = Path.Combine(Path.GetTempPath(), "t2l-bench-t2l-m-" + Guid.NewGuid().ToString("N"));
        LoraTargetModule[] modules =
        [
            new("q_proj", "model.layers.{0}.self_attn.q_proj", Hidden, Hidden),
            new("v_proj", "model.layers.{0}.self_attn.v_proj", Hidden, 1024),
        ];
        var architecture = new HyperModulatorArchitecture { TaskEmbeddingSize = 1024, LatentSize = 128, HeadInSize = 512, SharedABHead = true };
        var config = new LoraConfig { R = 8, LoraAlpha = 16, TargetModules = TargetModules.FromNames(["q_proj", "v_proj"]), BaseModelNameOrPath = "mistralai/Mistral-7B-Instruct-v0.2" };
        TorchSharp.torch.manual_seed(0);
        using var hypernetwork = new T2LHypernetwork(new HyperModulator(architecture, 8, Layers, modules), config, new LoraTargetDescription(Layers, modules), GteTaskEncoder.ReferenceModelId);
        HypernetworkCheckpoint.Save(hypernetwork, directory);
        return directory;
    }
}
