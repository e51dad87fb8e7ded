using Text2Lora.Hypernetworks;
using Text2Lora.Hypernetworks.Checkpoints;
using Text2Lora.IO.Hub;
using Text2Lora.Tests.Hypernetworks;
using Text2Lora.Tests.Infrastructure;
using static TorchSharp.torch;

namespace Text2Lora.Tests.IO.Hub;

/// <summary>A reference checkpoint whose <c>args.yaml: model_dir</c> names a hub id, as the released ones do.</summary>
[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class HubCheckpointTests : IDisposable
{
    private readonly FakeHub _hub = new();
    private readonly TempDirectory _cache = new();
    private readonly TempDirectory _checkpoint = new();

    public HubCheckpointTests()
    {
        foreach (var name in new[] { "hypermod.pt", "args.yaml", "adapter_config.json" })
        {
            File.Copy(Path.Combine(T2LFixtures.Directory("M_sft"), name), _checkpoint.File(name));
        }

        var args = _checkpoint.File("args.yaml");
        File.WriteAllText(args, File.ReadAllText(args).Replace("model_dir: llama/model", "model_dir: fixtures/llama-base", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        _hub.Dispose();
        _cache.Dispose();
        _checkpoint.Dispose();
    }

    private HubModelResolver Resolver() => new(new HubOptions { Endpoint = _hub.Endpoint, CacheDirectory = _cache.Path });

    [Fact]
    public void Model_dir_hub_id_fetches_only_config_json_and_gives_the_same_hypernetwork_as_the_local_folder()
    {
        var repo = _hub.AddRepo("fixtures/llama-base", FakeHub.FilesOf(FixturePaths.Get("llama", "model")));

        using var fromHub = new HypernetworkLoader(Resolver()).Load(_checkpoint.Path, null, CPU);
        using var local = HypernetworkCheckpoint.Load(_checkpoint.Path, FixturePaths.Get("llama", "model"));

        Assert.Equal(local.TaskEmbeddingSize, fromHub.TaskEmbeddingSize);
        Assert.Equal("fixtures/llama-base", ((T2LHypernetwork)fromHub).BaseModelId);
        Assert.Equal(local.Targets.LayerCount, ((T2LHypernetwork)fromHub).Targets.LayerCount);
        var snapshot = Path.Combine(_cache.Path, "models--fixtures--llama-base", "snapshots", repo.Commit);
        Assert.Equal(["config.json"], Directory.EnumerateFiles(snapshot).Select(Path.GetFileName));
    }

    [Fact]
    public void Model_dir_missing_on_the_hub_names_the_key_and_the_repo()
    {
        var error = Assert.Throws<HypernetworkCheckpointException>(() => new HypernetworkLoader(Resolver()).Load(_checkpoint.Path, null, CPU));

        Assert.Equal("model_dir", error.Key);
        Assert.Contains("'fixtures/llama-base'", error.Message, StringComparison.Ordinal);
        Assert.IsType<HubNotFoundException>(error.InnerException);
    }
}
