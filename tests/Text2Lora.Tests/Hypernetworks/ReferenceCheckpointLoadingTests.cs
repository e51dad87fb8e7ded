using Text2Lora.Hypernetworks;
using Text2Lora.Hypernetworks.Checkpoints;
using Text2Lora.Tests.Infrastructure;
using Xunit;

namespace Text2Lora.Tests.Hypernetworks;

/// <summary>args.yaml, adapter_config.json and base-model resolution of the reference checkpoint loader.</summary>
[Trait(TestCategory.Key, TestCategory.Parity)]
public class ReferenceCheckpointLoadingTests
{
    [Fact]
    public void Args_yaml_with_a_101_digit_save_freq_and_nulls_parses()
    {
        var args = ReferenceTrainingArgs.Load(Path.Combine(T2LFixtures.Directory("M_sft_mtlora"), "args.yaml"));
        Assert.Equal("llama/model", args.ModelDirectory);
        Assert.Equal("", args.EmbeddingModel);
        Assert.Equal(["q_proj", "v_proj"], args.TargetModules);
        Assert.True(args.SharedABHead);
        Assert.False(args.AutoregressiveGeneration);
        Assert.Equal(32, args.LatentSize);
        Assert.Equal(64, args.HeadInSize);
        Assert.Equal("t2l/mt_lora", args.MultiTaskLoraPath);
        Assert.Equal(HypernetworkTrainingTask.Sft, args.TrainingTask);
    }

    [Fact]
    public void Missing_factorized_delta_w_scaling_and_pred_z_score_take_the_reference_defaults()
    {
        using var directory = new TempDirectory();
        var path = directory.File("args.yaml");
        File.WriteAllText(path, "training_task: recon\nmodel_dir: m\nemb_model: null\nmt_lora_path: null\nsave_freq: 1" + new string('0', 100) + "\n");
        var args = ReferenceTrainingArgs.Load(path);
        Assert.False(args.Factorized);
        Assert.Equal(10000, args.DeltaWScaling);
        Assert.True(args.PredictZScore);
        Assert.Equal("", args.EmbeddingModel);
        Assert.Null(args.MultiTaskLoraPath);
        Assert.Equal(HypernetworkTrainingTask.Recon, args.TrainingTask);
    }

    [Theory]
    [InlineData("shared_AB_head: maybe\n", "shared_AB_head")]
    [InlineData("hypernet_latent_size: -3\n", "hypernet_latent_size")]
    [InlineData("training_task: rl\n", "training_task")]
    [InlineData("target_modules: {a: 1}\n", "target_modules")]
    public void Bad_field_is_named(string yaml, string field)
    {
        using var directory = new TempDirectory();
        var path = directory.File("args.yaml");
        File.WriteAllText(path, yaml);
        var error = Assert.Throws<HypernetworkCheckpointException>(() => ReferenceTrainingArgs.Load(path));
        Assert.Equal(field, error.Key);
        Assert.Equal(path, error.FilePath);
    }

    [Fact]
    public void Base_model_shapes_come_from_config_json()
    {
        var targets = Text2Lora.Models.Llama.LlamaFamilyConfig.Load(FixturePaths.Get("llama", "model", "config.json")).LoraTargets();
        Assert.Equal(2, targets.LayerCount);
        Assert.Equal(new Text2Lora.Lora.LoraTargetModule("q_proj", "model.layers.{0}.self_attn.q_proj", 64, 64), targets.Get("q_proj"));
        Assert.Equal(new Text2Lora.Lora.LoraTargetModule("v_proj", "model.layers.{0}.self_attn.v_proj", 64, 32), targets.Get("v_proj"));
        Assert.Equal(new Text2Lora.Lora.LoraTargetModule("down_proj", "model.layers.{0}.mlp.down_proj", 128, 64), targets.Get("down_proj"));
        Assert.Equal("model.layers.1.mlp.gate_proj", targets.Get("gate_proj").PathForLayer(1));
    }

    [Fact]
    public void Layer_type_order_is_the_adapter_config_target_modules_order()
    {
        using var hypernetwork = T2LFixtures.Load("L_sft");
        // Fixture meta.json: module_to_int = {v_proj: 0, q_proj: 1}, equal to adapter_config.json's list order.
        Assert.Equal(["v_proj", "q_proj"], hypernetwork.Module.TargetModules.Select(m => m.Name));
        Assert.Equal(64, hypernetwork.TaskEmbeddingSize);
    }

    [Fact]
    public void Base_model_override_folder_is_used_when_model_dir_cannot_be_found()
    {
        using var directory = CopyFixture("M_sft");
        File.WriteAllText(directory.File("args.yaml"), File.ReadAllText(directory.File("args.yaml")).Replace("model_dir: llama/model", "model_dir: some-org/some-hub-model", StringComparison.Ordinal));

        var error = Assert.Throws<HypernetworkCheckpointException>(() => HypernetworkCheckpoint.Load(directory.Path));
        Assert.Equal("model_dir", error.Key);

        using var hypernetwork = HypernetworkCheckpoint.Load(directory.Path, FixturePaths.Get("llama", "model"));
        Assert.Equal(2, hypernetwork.Targets.LayerCount);
        Assert.Equal("some-org/some-hub-model", hypernetwork.BaseModelId);
    }

    [Fact]
    public void Unsupported_encoder_type_is_named()
    {
        using var directory = CopyFixture("L_sft");
        File.WriteAllText(directory.File("args.yaml"), File.ReadAllText(directory.File("args.yaml")).Replace("encoder_type: linear", "encoder_type: vq", StringComparison.Ordinal));
        var error = Assert.Throws<HypernetworkCheckpointException>(() => HypernetworkCheckpoint.Load(directory.Path, FixturePaths.Get("llama", "model")));
        Assert.Equal("encoder_type", error.Key);
    }

    [Fact]
    public void Flags_that_do_not_match_the_state_dict_name_the_first_mismatched_key()
    {
        // L_sft's weights read with M's flags: the M architecture expects out_emb selectors the checkpoint lacks.
        using var directory = CopyFixture("L_sft");
        File.WriteAllText(directory.File("args.yaml"), File.ReadAllText(directory.File("args.yaml")).Replace("shared_AB_head: false", "shared_AB_head: true", StringComparison.Ordinal));
        var error = Assert.Throws<HypernetworkCheckpointException>(() => HypernetworkCheckpoint.Load(directory.Path, FixturePaths.Get("llama", "model")));
        Assert.StartsWith("out_emb", error.Key, StringComparison.Ordinal);
        Assert.Equal(directory.File("hypermod.pt"), error.FilePath);
    }

    [Fact]
    public void Checkpoint_under_checkpoints_it_n_finds_args_yaml_above_it()
    {
        using var directory = CopyFixture("M_sft");
        var nested = Path.Combine(directory.Path, "checkpoints", "it_100");
        Directory.CreateDirectory(nested);
        File.Move(directory.File("hypermod.pt"), Path.Combine(nested, "hypermod.pt"));
        using var hypernetwork = HypernetworkCheckpoint.Load(Path.Combine(nested, "hypermod.pt"), FixturePaths.Get("llama", "model"));
        Assert.True(hypernetwork.Module.Architecture.SharedABHead);
    }

    private static TempDirectory CopyFixture(string variant)
    {
        var directory = new TempDirectory();
        foreach (var name in new[] { "hypermod.pt", "args.yaml", "adapter_config.json" })
        {
            File.Copy(Path.Combine(T2LFixtures.Directory(variant), name), directory.File(name));
        }

        return directory;
    }
}
