using Text2Lora.Hypernetworks;
using Text2Lora.IO.Safetensors;
using Text2Lora.Lora;
using Text2Lora.Tests.Infrastructure;
using Xunit;
using static TorchSharp.torch;

namespace Text2Lora.Tests.Hypernetworks;

public class DevParityTests
{
    [Theory]
    [InlineData("L_sft", false, false, true, "sft", false, false)]
    [InlineData("M_sft", true, false, true, "sft", false, false)]
    [InlineData("S_sft", true, true, true, "sft", false, false)]
    [InlineData("L_sft_autoreg", false, true, true, "sft", false, false)]
    [InlineData("M_sft_mtlora", true, false, false, "sft", false, false)]
    [InlineData("M_recon_zscore", true, false, false, "recon", true, true)]
    public void Dev(string variant, bool shared, bool autoreg, bool bias, string task, bool z, bool fact)
    {
        var dir = FixturePaths.Get("t2l", variant);
        var arch = new HyperModulatorArchitecture
        {
            TaskEmbeddingSize = 64, LatentSize = 32, HeadInSize = 64, SharedABHead = shared, AutoregressiveGeneration = autoreg,
            HeadBias = bias, TrainingTask = task == "sft" ? HypernetworkTrainingTask.Sft : HypernetworkTrainingTask.Recon,
            PredictZScore = z, Factorized = fact,
        };
        LoraTargetModule[] modules = [new("v_proj", "model.layers.{0}.self_attn.v_proj", 64, 32), new("q_proj", "model.layers.{0}.self_attn.q_proj", 64, 64)];
        using var module = new HyperModulator(arch, 4, 2, modules);
        using (var st = SafetensorsFile.Open(Path.Combine(dir, "hypermod.safetensors")))
        {
            var all = st.ReadAll();
            module.LoadTensors(all, "x");
        }
        module.eval();
        using var expected = SafetensorsFile.Open(Path.Combine(dir, "expected.safetensors"));
        using var lora = SafetensorsFile.Open(Path.Combine(dir, "generated_lora", "adapter_model.safetensors"));
        using var emb = expected.ReadTensor("task_emb");
        using var _ = no_grad();
        using var output = module.Generate(emb);
        double worst = 0;
        foreach (var m in modules)
        {
            for (var l = 0; l < 2; l++)
            {
                using var ea = lora.ReadTensor($"base_model.model.model.layers.{l}.self_attn.{m.Name}.lora_A.weight");
                using var eb = lora.ReadTensor($"base_model.model.model.layers.{l}.self_attn.{m.Name}.lora_B.weight");
                worst = Math.Max(worst, (output.A(m.Name)[0, l] - ea).abs().max().item<float>());
                worst = Math.Max(worst, (output.B(m.Name)[0, l] - eb).abs().max().item<float>());
            }
        }
        Assert.True(worst < 1e-5, $"{variant}: {worst}");
    }
}
