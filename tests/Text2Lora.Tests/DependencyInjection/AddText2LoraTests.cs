using Text2Lora.LoraGeneration;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Text2Lora.Abstractions;
using Text2Lora.DependencyInjection;
using Text2Lora.Encoders;
using Text2Lora.Runtime;
using Text2Lora.Tests.Fakes;
using Text2Lora.Tests.Infrastructure;

namespace Text2Lora.Tests.DependencyInjection;

/// <summary>DI wiring with a FAKE hypernetwork loader (the checkpoint loader is tested with the hypernetworks).</summary>
[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class AddText2LoraTests : IDisposable
{
    private readonly TempDirectory _checkpoint = new();
    private readonly TempDirectory _baseModel = new();

    public AddText2LoraTests() => TorchRuntime.EnsureAvailable();

    public void Dispose()
    {
        _checkpoint.Dispose();
        _baseModel.Dispose();
    }

    private static void ValidateOnStart(IServiceProvider provider) => provider.GetRequiredService<IAsyncStartupValidator>().ValidateAsync(CancellationToken.None).GetAwaiter().GetResult();

    [Fact]
    public void Configuration_section_binds_and_registers_singletons()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Text2Lora:HypernetworkDirectory"] = _checkpoint.Path,
            ["Text2Lora:BaseModelDirectory"] = _baseModel.Path,
            ["Text2Lora:TaskEncoder"] = "MiniLm",
            ["Text2Lora:Device"] = "cpu",
            ["Text2Lora:EmbeddingCacheSize"] = "16",
        }).Build();
        var loader = new RecordingHypernetworkLoader();
        var services = new ServiceCollection().AddSingleton<IHypernetworkLoader>(loader);
        services.AddText2Lora(configuration.GetSection(Text2LoraOptions.SectionName));

        using var provider = services.BuildServiceProvider(validateScopes: true);
        ValidateOnStart(provider);
        var options = provider.GetRequiredService<IOptions<Text2LoraOptions>>().Value;
        Assert.Equal(16, options.EmbeddingCacheSize);

        var generator = provider.GetRequiredService<ILoraGenerator>();
        Assert.Same(generator, provider.GetRequiredService<ILoraGenerator>());
        Assert.Same(generator, provider.GetRequiredService<LoraGenerator>());
        var encoder = Assert.IsType<FormattedTaskEncoder>(provider.GetRequiredService<ITaskEncoder>());
        Assert.Equal(DescriptionFormat.CollapseWhitespace, encoder.Format); // the fake hypernetwork records no encoder: MiniLM
        Assert.IsType<CachingTaskEncoder>(encoder.Inner);
        Assert.Equal(384, provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>().GetService<EmbeddingGeneratorMetadata>()!.DefaultModelDimensions);
        Assert.Equal([(_checkpoint.Path, (string?)_baseModel.Path, "cpu")], loader.Loads);

        using var adapter = generator.FromDescription("Answer trivia questions.");
        Assert.Equal("Answer trivia questions.", adapter.TaskDescription);
    }

    [Fact]
    public void Action_overload_configures_options_and_user_registrations_win()
    {
        using var own = new LinearFakeHypernetwork(384);
        var services = new ServiceCollection().AddSingleton<IHypernetwork>(own);
        services.AddText2Lora(o =>
        {
            o.HypernetworkDirectory = _checkpoint.Path;
            o.EmbeddingCacheSize = 0;
        });

        using var provider = services.BuildServiceProvider();
        ValidateOnStart(provider);
        Assert.Same(own, provider.GetRequiredService<IHypernetwork>());
        Assert.IsType<MiniLmTaskEncoder>(Assert.IsType<FormattedTaskEncoder>(provider.GetRequiredService<ITaskEncoder>()).Inner);
    }

    [Theory]
    [InlineData(null, "cpu", 10, "HypernetworkDirectory")]
    [InlineData("/definitely/not/a/folder", "cpu", 10, "HypernetworkDirectory")]
    [InlineData("<checkpoint>", "tpu", 10, "Device")]
    [InlineData("<checkpoint>", "cpu", -1, "EmbeddingCacheSize")]
    public void Invalid_options_fail_on_start_naming_the_field(string? directory, string device, int cacheSize, string field)
    {
        var services = new ServiceCollection().AddSingleton<IHypernetworkLoader>(new RecordingHypernetworkLoader());
        services.AddText2Lora(o =>
        {
            o.HypernetworkDirectory = directory == "<checkpoint>" ? _checkpoint.Path : directory;
            o.Device = device;
            o.EmbeddingCacheSize = cacheSize;
        });

        using var provider = services.BuildServiceProvider();
        var ex = Assert.Throws<OptionsValidationException>(() => ValidateOnStart(provider));
        Assert.Contains(field, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_base_model_folder_fails_on_start()
    {
        var services = new ServiceCollection();
        services.AddText2Lora(o =>
        {
            o.HypernetworkDirectory = _checkpoint.Path;
            o.BaseModelDirectory = Path.Combine(_baseModel.Path, "missing");
        });

        using var provider = services.BuildServiceProvider();
        Assert.Contains("BaseModelDirectory", Assert.Throws<OptionsValidationException>(() => ValidateOnStart(provider)).Message, StringComparison.Ordinal);
    }
}
