using Text2Lora.Hypernetworks;
using Text2Lora.Hypernetworks.Checkpoints;
using Text2Lora.Lora;
using Text2Lora.Tests.Infrastructure;
using static TorchSharp.torch;

namespace Text2Lora.Tests.Hypernetworks;

/// <summary>
/// <see cref="HypernetworkCheckpoint.SaveReference"/>: export in the reference format, load back through the
/// reference reader (allowlisted unpickler, args.yaml, adapter_config.json, strict key check) and generate.
/// </summary>
[Trait(TestCategory.Key, TestCategory.Parity)]
public sealed class ReferenceExportTests
{
    public static TheoryData<string> Exportable => new(["S_sft", "M_sft", "L_sft", "L_sft_autoreg", "M_recon_zscore"]);

    [Theory]
    [MemberData(nameof(Exportable))]
    public void Export_loads_back_and_generates_the_identical_lora(string variant)
    {
        using var dir = new TempDirectory();
        using var original = T2LFixtures.Load(variant);
        var output = dir.File("exported");

        HypernetworkCheckpoint.SaveReference(original, output);
        using var loaded = HypernetworkCheckpoint.Load(output, FixturePaths.Get("llama", "model"));

        Assert.Equal(original.Module.Architecture, loaded.Module.Architecture);
        Assert.Equal(original.EncoderId, loaded.EncoderId);
        Assert.Equal(original.BaseModelId, loaded.BaseModelId);
        Assert.Equal(original.AdapterConfig.ToJson(), loaded.AdapterConfig.ToJson());
        AssertIdenticalLoras(original, loaded, T2LFixtures.TaskEmbedding(variant));
        Assert.Equal(["adapter_config.json", "args.yaml", "hypermod.pt"], Directory.GetFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_reconstruction_hypernetwork_keeps_its_multi_task_offset()
    {
        // A z-score recon hypernetwork with a non-zero AB_offset (as multiTaskLoraDirectory sets it): the reference
        // adds AB_offset in convert_to_raw_scale, our reader must get it back bit for bit.
        using var dir = new TempDirectory();
        using var original = T2LFixtures.Load("M_recon_zscore");
        var generator = new Generator(21);
        original.Module.SetFactorOffset(original.Targets.Modules.ToDictionary(
            m => m.Name,
            m => (randn([original.Targets.LayerCount, original.AdapterConfig.R, m.InFeatures], generator: generator),
                  randn([original.Targets.LayerCount, m.OutFeatures, original.AdapterConfig.R], generator: generator))));

        HypernetworkCheckpoint.SaveReference(original, dir.File("exported"));
        using var loaded = HypernetworkCheckpoint.Load(dir.File("exported"), FixturePaths.Get("llama", "model"));

        AssertIdenticalLoras(original, loaded, T2LFixtures.TaskEmbedding("M_recon_zscore"));
    }

    [Fact]
    public void The_args_are_those_the_reference_builds_the_module_from()
    {
        using var original = T2LFixtures.Load("L_sft_autoreg");
        var yaml = ReferenceCheckpointWriter.ArgsYaml(original, original.Module.Architecture);
        var fixture = File.ReadAllLines(Path.Combine(T2LFixtures.Directory("L_sft_autoreg"), "args.yaml"));

        // Every line written is one the reference itself wrote for this checkpoint (apart from the quoting style of
        // strings and the informational head_use_bias, which the reference derives and never reads).
        foreach (var line in yaml.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("head_use_bias", StringComparison.Ordinal)))
        {
            var unquoted = line.Replace("'", "", StringComparison.Ordinal);
            Assert.Contains(fixture, f => f.Replace("'", "", StringComparison.Ordinal) == unquoted);
        }
    }

    [Fact]
    public void A_non_empty_destination_is_refused_and_left_as_it_was()
    {
        using var dir = new TempDirectory();
        using var original = T2LFixtures.Load("S_sft");
        Directory.CreateDirectory(dir.File("busy"));
        File.WriteAllText(dir.File("busy/keep.txt"), "mine");

        var ex = Assert.Throws<IOException>(() => HypernetworkCheckpoint.SaveReference(original, dir.File("busy")));

        Assert.Contains("not empty", ex.Message, StringComparison.Ordinal);
        Assert.Equal(["keep.txt"], Directory.GetFileSystemEntries(dir.File("busy")).Select(Path.GetFileName));
        Assert.Equal([dir.File("busy")], Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void An_sft_hypernetwork_without_head_bias_is_refused()
    {
        // M_sft_mtlora was trained with mt_lora_path, so its heads have no bias; with mt_lora_path null the reference
        // would build biased heads and load with strict=False, silently leaving them at their init.
        using var dir = new TempDirectory();
        using var original = T2LFixtures.Load("M_sft_mtlora");
        var ex = Assert.Throws<NotSupportedException>(() => HypernetworkCheckpoint.SaveReference(original, dir.File("out")));
        Assert.Contains("mt_lora_path", ex.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("out")));
    }

    private static void AssertIdenticalLoras(T2LHypernetwork expected, T2LHypernetwork actual, Tensor embedding)
    {
        // The weights travel as float32 bytes and both modules run the same CPU kernels on the same input: the LoRA
        // must be bit-identical, so the tolerance is 0.
        using (embedding)
        {
            var a = expected.Generate(embedding)[0];
            var b = actual.Generate(embedding)[0];
            Assert.Equal(a.Modules.Keys.Order(StringComparer.Ordinal), b.Modules.Keys.Order(StringComparer.Ordinal));
            foreach (var (path, factors) in a.Modules)
            {
                Assert.True(factors.A.eq(b.Modules[path].A).all().item<bool>(), $"A {path}");
                Assert.True(factors.B.eq(b.Modules[path].B).all().item<bool>(), $"B {path}");
                Assert.Equal(factors.Scaling, b.Modules[path].Scaling);
            }

            a.Dispose();
            b.Dispose();
        }
    }
}
