using Text2Lora.Hypernetworks;
using Text2Lora.Hypernetworks.Checkpoints;
using Text2Lora.IO.Safetensors;
using Text2Lora.Tests.Infrastructure;
using Xunit;
using static TorchSharp.torch;

namespace Text2Lora.Tests.Hypernetworks;

/// <summary>The reference T2L fixtures (Fixtures/t2l, see its README): checkpoints, inputs and expected outputs.</summary>
internal static class T2LFixtures
{
    /// <summary>Generated LoRA tensors and intermediates are O(0.1–1); the fixture README suggests atol 1e-5 for a float32 port.</summary>
    public const double Tolerance = 1e-5;

    public static readonly string[] Variants = ["L_sft", "M_sft", "S_sft", "L_sft_autoreg", "M_sft_mtlora", "M_recon_zscore"];

    public static TheoryData<string> VariantData() => new(Variants);

    public static string Directory(string variant) => FixturePaths.Get("t2l", variant);

    public static T2LHypernetwork Load(string variant) => HypernetworkCheckpoint.Load(Directory(variant));

    /// <summary>The fixed task embedding [1, 64] the reference generated from.</summary>
    public static Tensor TaskEmbedding(string variant)
    {
        using var expected = SafetensorsFile.Open(Path.Combine(Directory(variant), "expected.safetensors"));
        return expected.ReadTensor("task_emb");
    }

    /// <summary>The reference's generated adapter: PEFT key → tensor.</summary>
    public static Dictionary<string, Tensor> GeneratedLora(string variant)
    {
        using var file = SafetensorsFile.Open(Path.Combine(Directory(variant), "generated_lora", "adapter_model.safetensors"));
        return file.ReadAll();
    }

    public static double MaxAbsDiff(Tensor actual, Tensor expected)
    {
        using var diff = actual.sub(expected);
        using var abs = diff.abs();
        using var max = abs.max();
        return max.item<float>();
    }
}
