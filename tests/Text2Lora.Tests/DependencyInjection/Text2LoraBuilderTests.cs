using Text2Lora.LoraGeneration;
using Microsoft.Extensions.Options;
using Text2Lora.Runtime;
using Text2Lora.Tests.Fakes;
using Text2Lora.Tests.Infrastructure;

namespace Text2Lora.Tests.DependencyInjection;

/// <summary>The fluent builder, with FAKE hypernetworks/loaders (the checkpoint loader is tested with the hypernetworks).</summary>
[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class Text2LoraBuilderTests
{
    public Text2LoraBuilderTests() => TorchRuntime.EnsureAvailable();

    [Fact]
    public void Builds_a_generator_from_a_folder_through_the_loader_and_owns_what_it_created()
    {
        using var checkpoint = new TempDirectory();
        var loader = new RecordingHypernetworkLoader();
        using (var generator = Text2LoraBuilder.Create()
            .WithHypernetwork(checkpoint.Path)
            .WithHypernetworkLoader(loader)
            .WithTaskEncoder(SharedMiniLm.Instance)
            .WithEmbeddingCache(8)
            .Build())
        {
            using var adapter = generator.FromDescription("Write SQL queries.");
            Assert.Equal(4, adapter.Modules.Count);
            Assert.Single(loader.Loads);
        }

        // The loaded hypernetwork was disposed with the generator; the caller's encoder was not.
        Assert.Throws<InvalidOperationException>(() => loader.Last!.Generate(TorchSharp.torch.zeros(1, 384)));
        using var still = SharedMiniLm.Instance.Encode(["still usable"]);
    }

    [Fact]
    public void Supplied_hypernetwork_needs_no_folder_and_stays_the_callers()
    {
        using var hypernetwork = new LinearFakeHypernetwork(384);
        using (var generator = Text2LoraBuilder.Create().WithHypernetwork(hypernetwork).WithTaskEncoder(SharedMiniLm.Instance).Build())
        {
            // No HypernetworkDirectory was set: Build validated and the supplied instance produced the adapter.
            using var adapter = generator.FromDescription("Answer trivia.");
            Assert.Equal(1, hypernetwork.Calls);
            Assert.NotEmpty(adapter.Modules);
        }

        // Disposing the generator leaves the caller's hypernetwork undisposed and usable.
        Assert.False(hypernetwork.Disposed);
        using var embedding = TorchSharp.torch.zeros(1, 384);
        var adapters = hypernetwork.Generate(embedding);
        Assert.Single(adapters);
        adapters[0].Dispose();
        Assert.Equal(2, hypernetwork.Calls);
    }

    [Fact]
    public void Invalid_settings_throw_naming_the_field()
    {
        Assert.Contains("HypernetworkDirectory", Assert.Throws<OptionsValidationException>(() => Text2LoraBuilder.Create().Build()).Message, StringComparison.Ordinal);

        using var hypernetwork = new LinearFakeHypernetwork(384);
        var ex = Assert.Throws<OptionsValidationException>(() =>
            Text2LoraBuilder.Create().WithHypernetwork(hypernetwork).WithDevice("gpu").WithEmbeddingCache(-5).Build());
        Assert.Contains("Device", ex.Message, StringComparison.Ordinal);
        Assert.Contains("EmbeddingCacheSize", ex.Message, StringComparison.Ordinal);

        // The default loader reads both checkpoint formats; an empty folder is reported with its path.
        using var checkpoint = new TempDirectory();
        var missing = Assert.Throws<FileNotFoundException>(() => Text2LoraBuilder.Create().WithHypernetwork(checkpoint.Path).Build());
        Assert.Contains(checkpoint.Path, missing.Message, StringComparison.Ordinal);
    }
}
