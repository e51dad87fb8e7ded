using Text2Lora.Hypernetworks;
using System.Text.Json.Nodes;
using Text2Lora.Hypernetworks.Checkpoints;
using Text2Lora.Tests.Infrastructure;
using Xunit;
using static TorchSharp.torch;

namespace Text2Lora.Tests.Hypernetworks;

/// <summary>Text2Lora's own format (hypernetwork.json + hypernetwork.safetensors): round trips are exact.</summary>
[Trait(TestCategory.Key, TestCategory.Behaviour)]
public class NativeCheckpointTests
{
    [Theory]
    [MemberData(nameof(T2LFixtures.VariantData), MemberType = typeof(T2LFixtures))]
    public void Round_trip_reproduces_identical_adapters(string variant)
    {
        using var directory = new TempDirectory();
        using var original = T2LFixtures.Load(variant);
        HypernetworkCheckpoint.Save(original, directory.Path);
        Assert.False(File.Exists(directory.File("hypermod.pt")));
        using var reloaded = HypernetworkCheckpoint.Load(directory.Path);

        Assert.Equal(original.Module.Architecture, reloaded.Module.Architecture);
        Assert.Equal(original.Targets.LayerCount, reloaded.Targets.LayerCount);
        Assert.Equal(original.Targets.Modules, reloaded.Targets.Modules);
        Assert.Equal(original.AdapterConfig.ToJson(), reloaded.AdapterConfig.ToJson());
        Assert.Equal(original.EncoderId, reloaded.EncoderId);
        Assert.Equal(original.BaseModelId, reloaded.BaseModelId);

        using var embedding = T2LFixtures.TaskEmbedding(variant);
        using var first = Assert.Single(original.Generate(embedding));
        using var second = Assert.Single(reloaded.Generate(embedding));
        Assert.Equal(first.Modules.Keys, second.Modules.Keys);
        foreach (var (path, weights) in first.Modules)
        {
            // Bit-identical: same weights, same float32 ops in the same order.
            Assert.True(weights.A.eq(second.Modules[path].A).all().item<bool>(), $"{path} A");
            Assert.True(weights.B.eq(second.Modules[path].B).all().item<bool>(), $"{path} B");
            Assert.Equal(weights.Scaling, second.Modules[path].Scaling);
        }
    }

    [Fact]
    public void Description_names_architecture_sizes_targets_and_provenance()
    {
        using var directory = new TempDirectory();
        using (var hypernetwork = T2LFixtures.Load("S_sft"))
        {
            HypernetworkCheckpoint.Save(hypernetwork, directory.Path);
        }

        var json = JsonNode.Parse(File.ReadAllText(directory.File(HypernetworkCheckpoint.ConfigFileName)))!;
        Assert.Equal("text2lora.hypernetwork", (string?)json["format"]);
        Assert.True((bool)json["architecture"]!["shared_AB_head"]!);
        Assert.True((bool)json["architecture"]!["autoreg_gen"]!);
        Assert.Equal(32, (int)json["architecture"]!["latent_size"]!);
        Assert.Equal(4, (int)json["rank"]!);
        Assert.Equal(2, (int)json["layer_count"]!);
        Assert.Equal("v_proj", (string?)json["target_modules"]![0]!["name"]);
        Assert.Equal(32, (int)json["target_modules"]![0]!["out_features"]!);
        Assert.True((bool)json["adapter_config"]!["use_rslora"]!);
        Assert.Equal("", (string?)json["encoder_id"]);
        Assert.Equal("llama/model", (string?)json["base_model_id"]);
    }

    [Fact]
    public void Missing_weight_key_is_reported_with_file_and_key()
    {
        using var directory = new TempDirectory();
        using (var hypernetwork = T2LFixtures.Load("M_sft"))
        {
            HypernetworkCheckpoint.Save(hypernetwork, directory.Path);
        }

        // Rewrite the safetensors without one tensor.
        var weightsPath = directory.File(HypernetworkCheckpoint.WeightsFileName);
        Dictionary<string, Tensor> tensors;
        using (var file = Text2Lora.IO.Safetensors.SafetensorsFile.Open(weightsPath))
        {
            tensors = file.ReadAll();
        }

        tensors.Remove("out_emb.q_proj.B", out var removed);
        removed!.Dispose();
        Text2Lora.IO.Safetensors.SafetensorsWriter.Write(weightsPath, tensors);
        foreach (var tensor in tensors.Values)
        {
            tensor.Dispose();
        }

        var error = Assert.Throws<HypernetworkCheckpointException>(() => HypernetworkCheckpoint.Load(directory.Path));
        Assert.Equal("out_emb.q_proj.B", error.Key);
        Assert.Equal(weightsPath, error.FilePath);
    }

    [Fact]
    public void Unknown_format_version_is_refused_naming_the_field()
    {
        using var directory = new TempDirectory();
        using (var hypernetwork = T2LFixtures.Load("L_sft"))
        {
            HypernetworkCheckpoint.Save(hypernetwork, directory.Path);
        }

        var configPath = directory.File(HypernetworkCheckpoint.ConfigFileName);
        var json = JsonNode.Parse(File.ReadAllText(configPath))!;
        json["format_version"] = 99;
        File.WriteAllText(configPath, json.ToJsonString());
        var error = Assert.Throws<HypernetworkCheckpointException>(() => HypernetworkCheckpoint.Load(directory.Path));
        Assert.Equal("format_version", error.Key);
    }
}
