using Text2Lora.Hypernetworks;
using Text2Lora.Hypernetworks.Checkpoints;
using Text2Lora.IO.Safetensors;
using Text2Lora.Lora;
using Text2Lora.Tests.Infrastructure;
using TorchSharp.PyBridge;
using Xunit;
using static TorchSharp.torch;

namespace Text2Lora.Tests.Hypernetworks;

/// <summary>
/// The fixture README's held-back variants (S_sft_learnable_pos, L_sft_autoreg_learnable_pos, M_recon_deltaw): built
/// from their documented flags, checked against the README's parameter counts and against semantics that follow
/// from the math (no reference output is available for them).
/// </summary>
[Trait(TestCategory.Key, TestCategory.Behaviour)]
public class HeldBackVariantTests
{
    private static readonly LoraTargetModule[] Modules =
    [
        new("v_proj", "model.layers.{0}.self_attn.v_proj", 64, 32),
        new("q_proj", "model.layers.{0}.self_attn.q_proj", 64, 64),
    ];

    [Theory]
    [InlineData(true, 52944)]   // S_sft_learnable_pos
    [InlineData(false, 58992)]  // L_sft_autoreg_learnable_pos
    public void Learnable_position_variants_have_the_documented_parameters_and_pos_emb_keys(bool shared, long parameters)
    {
        using var module = new HyperModulator(Architecture(shared, autoreg: true, learnable: true), 4, 2, Modules);
        Assert.Equal(parameters, CountReferenceParameters(module));
        var state = module.state_dict();
        Assert.Equal([4L, 32L], state["pos_emb.0.weight"].shape);
        Assert.Equal([32L], state["pos_emb.1.weight"].shape);
        Assert.Equal([32L], state["pos_emb.1.bias"].shape);
    }

    [Theory]
    [InlineData(true, "S_sft")]
    [InlineData(false, "L_sft_autoreg")]
    public void Learnable_positions_tell_the_rank_rows_apart_and_nothing_else_does(bool shared, string weightsOf)
    {
        // Rank rows differ only through their position input: with identical pos_emb rows every rank row of the
        // generated A (minus the zero AB_offset) must be identical; with distinct rows they must differ.
        using var module = LearnableVariantWithWeightsOf(shared, weightsOf);
        using var embedding = T2LFixtures.TaskEmbedding(weightsOf);
        var positions = module.state_dict()["pos_emb.0.weight"];

        using (no_grad())
        {
            positions.copy_(randn(1, 32).expand(4, 32));
        }

        using (var equalRows = module.Generate(embedding))
        {
            var a = equalRows.A("q_proj");                                     // [1, L, r, in]
            using var spread = a.sub(a.narrow(2, 0, 1)).abs().max();
            Assert.True(spread.item<float>() < 1e-6, $"rank rows differ by {spread.item<float>()} with identical positions");
        }

        using (no_grad())
        {
            positions.copy_(randn(4, 32));
        }

        using (var distinctRows = module.Generate(embedding))
        {
            var a = distinctRows.A("q_proj");
            using var spread = a.sub(a.narrow(2, 0, 1)).abs().max();
            Assert.True(spread.item<float>() > 1e-3, "distinct positions should give distinct rank rows");
        }
    }

    [Fact]
    public void Learnable_position_checkpoint_in_reference_format_loads_with_all_keys_matched()
    {
        // Write an S_sft_learnable_pos reference checkpoint (torch.save format via PyBridge), with args.yaml saying so,
        // load it through the reference loader and compare with the in-memory module.
        using var directory = new TempDirectory();
        using var source = LearnableVariantWithWeightsOf(shared: true, "S_sft");
        using (no_grad())
        {
            source.state_dict()["pos_emb.0.weight"].copy_(randn(4, 32));
        }

        source.save_py(directory.File("hypermod.pt"));
        var fixture = T2LFixtures.Directory("S_sft");
        File.WriteAllText(directory.File("args.yaml"), File.ReadAllText(Path.Combine(fixture, "args.yaml")).Replace("learnable_pos_emb: false", "learnable_pos_emb: true", StringComparison.Ordinal));
        File.Copy(Path.Combine(fixture, "adapter_config.json"), directory.File("adapter_config.json"));

        using var loaded = HypernetworkCheckpoint.Load(directory.Path, FixturePaths.Get("llama", "model"));
        Assert.True(loaded.Module.Architecture.LearnablePositionEmbedding);
        source.eval();
        using var embedding = T2LFixtures.TaskEmbedding("S_sft");
        using var _ = no_grad();
        using var expected = source.Generate(embedding);
        using var actual = loaded.Module.Generate(embedding);
        foreach (var name in new[] { "q_proj", "v_proj" })
        {
            Assert.True(expected.A(name).eq(actual.A(name)).all().item<bool>());
            Assert.True(expected.B(name).eq(actual.B(name)).all().item<bool>());
        }
    }

    [Fact]
    public void Delta_w_recon_divides_each_factor_by_sqrt_delta_w_scaling()
    {
        // M_recon_deltaw has M_sft's parameter set (77712, heads with bias). With M_sft's weights, whose AB_offset is
        // zero (no mt_lora), its LoRA must be M_sft's reference LoRA divided by sqrt(10000) = 100, and no offset added.
        var architecture = Architecture(shared: true, autoreg: false, learnable: false) with
        {
            TrainingTask = HypernetworkTrainingTask.Recon,
            PredictZScore = false,
            Factorized = false,
            DeltaWScaling = 10000,
        };
        using var module = new HyperModulator(architecture, 4, 2, Modules);
        Assert.Equal(77712, CountReferenceParameters(module));
        LoadFixtureWeights(module, "M_sft");
        module.eval();
        Assert.Equal(0f, module.state_dict()["AB_offset.A.q_proj"].abs().max().item<float>());

        using var embedding = T2LFixtures.TaskEmbedding("M_sft");
        using var _ = no_grad();
        using var output = module.Generate(embedding);
        var reference = T2LFixtures.GeneratedLora("M_sft");
        foreach (var m in Modules)
        {
            for (var layer = 0; layer < 2; layer++)
            {
                using var a = reference[$"base_model.model.model.layers.{layer}.self_attn.{m.Name}.lora_A.weight"].div(100);
                using var b = reference[$"base_model.model.model.layers.{layer}.self_attn.{m.Name}.lora_B.weight"].div(100);
                // Values are O(1e-3 – 1e-2) after the division: 1e-7 is the float32 parity budget scaled down by 100.
                Assert.True(T2LFixtures.MaxAbsDiff(output.A(m.Name)[0, layer], a) <= T2LFixtures.Tolerance / 100);
                Assert.True(T2LFixtures.MaxAbsDiff(output.B(m.Name)[0, layer], b) <= T2LFixtures.Tolerance / 100);
            }
        }

        foreach (var tensor in reference.Values)
        {
            tensor.Dispose();
        }
    }

    [Fact]
    public void Z_score_recon_without_factorized_cannot_generate()
    {
        var architecture = Architecture(shared: true, autoreg: false, learnable: false) with
        {
            TrainingTask = HypernetworkTrainingTask.Recon,
            PredictZScore = true,
            Factorized = false,
        };
        using var module = new HyperModulator(architecture, 4, 2, Modules);
        using var embedding = zeros(1, 64);
        Assert.Throws<NotSupportedException>(() => module.Generate(embedding));
    }

    private static HyperModulatorArchitecture Architecture(bool shared, bool autoreg, bool learnable) => new()
    {
        TaskEmbeddingSize = 64,
        LatentSize = 32,
        HeadInSize = 64,
        SharedABHead = shared,
        AutoregressiveGeneration = autoreg,
        LearnablePositionEmbedding = learnable,
        HeadBias = true,
    };

    /// <summary>A learnable-position module carrying the trained weights of the rotary fixture (all shared keys).</summary>
    private static HyperModulator LearnableVariantWithWeightsOf(bool shared, string variant)
    {
        var module = new HyperModulator(Architecture(shared, autoreg: true, learnable: true), 4, 2, Modules);
        using var file = SafetensorsFile.Open(Path.Combine(T2LFixtures.Directory(variant), "hypermod.safetensors"));
        var tensors = file.ReadAll();
        var state = module.state_dict();
        foreach (var key in state.Keys.Where(k => k.StartsWith("pos_emb.", StringComparison.Ordinal)))
        {
            tensors[key] = state[key].clone();
        }

        module.LoadTensors(tensors, "test");
        foreach (var tensor in tensors.Values)
        {
            tensor.Dispose();
        }

        module.eval();
        return module;
    }

    private static void LoadFixtureWeights(HyperModulator module, string variant)
    {
        using var file = SafetensorsFile.Open(Path.Combine(T2LFixtures.Directory(variant), "hypermod.safetensors"));
        var tensors = file.ReadAll();
        module.LoadTensors(tensors, "test");
        foreach (var tensor in tensors.Values)
        {
            tensor.Dispose();
        }
    }

    /// <summary>The README's "params" column: every state-dict element, AB_offset and recon statistics included (M_sft: 77712).</summary>
    private static long CountReferenceParameters(HyperModulator module) => module.state_dict().Values.Sum(t => t.numel());
}
