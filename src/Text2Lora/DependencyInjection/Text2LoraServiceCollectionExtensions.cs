using Text2Lora.LoraGeneration;
using Text2Lora.Hypernetworks.Checkpoints;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Text2Lora.Abstractions;
using Text2Lora.Encoders;

namespace Text2Lora.DependencyInjection;

/// <summary>Registers Text2Lora in a Microsoft.Extensions.DependencyInjection container.</summary>
public static class Text2LoraServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ITaskEncoder"/> (the checkpoint's description encoder, or <see cref="Text2LoraOptions.Encoder"/>;
    /// ids that are not folders go to the registered <see cref="IModelFolderResolver"/>), <see cref="IHypernetwork"/>, <see cref="ILoraGenerator"/> (also as
    /// <see cref="LoraGenerator"/>) and the encoder as an <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>, all
    /// singletons created on first use, with <see cref="Text2LoraOptions"/> configured by <paramref name="configure"/> and
    /// validated when the host starts. Services registered before this call win (TryAdd). The hypernetwork is
    /// loaded by the registered <see cref="IHypernetworkLoader"/>.
    /// </summary>
    public static IServiceCollection AddText2Lora(this IServiceCollection services, Action<Text2LoraOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<Text2LoraOptions>().Configure(configure).ValidateDataAnnotations().ValidateOnStart();
        return AddServices(services);
    }

    /// <summary>
    /// As <see cref="AddText2Lora(IServiceCollection, Action{Text2LoraOptions})"/>, with the options bound from
    /// <paramref name="configuration"/> (typically <c>configuration.GetSection("Text2Lora")</c>).
    /// </summary>
    public static IServiceCollection AddText2Lora(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<Text2LoraOptions>().Bind(configuration).ValidateDataAnnotations().ValidateOnStart();
        return AddServices(services);
    }

    private static IServiceCollection AddServices(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<Text2LoraOptions>, Text2LoraOptionsValidator>());
        services.TryAddSingleton<IHypernetworkLoader, HypernetworkLoader>();
        services.TryAddSingleton<IModelFolderResolver>(LocalModelFolderResolver.Instance);
        services.TryAddSingleton(sp => Text2LoraComponents.CreateTaskEncoder(
            Options(sp), sp.GetRequiredService<IHypernetwork>(), sp.GetRequiredService<IModelFolderResolver>(), LoggerFactory(sp)));
        services.TryAddSingleton(sp => Text2LoraComponents.LoadHypernetwork(
            sp.GetRequiredService<IHypernetworkLoader>(), Options(sp), LoggerFactory(sp).CreateLogger<LoraGenerator>()));
        services.TryAddSingleton(sp => new LoraGenerator(
            sp.GetRequiredService<ITaskEncoder>(), sp.GetRequiredService<IHypernetwork>(), LoggerFactory(sp).CreateLogger<LoraGenerator>()));
        services.TryAddSingleton<ILoraGenerator>(sp => sp.GetRequiredService<LoraGenerator>());
        services.TryAddSingleton(sp => sp.GetRequiredService<ITaskEncoder>().AsEmbeddingGenerator());
        return services;
    }

    private static Text2LoraOptions Options(IServiceProvider sp) => sp.GetRequiredService<IOptions<Text2LoraOptions>>().Value;

    private static ILoggerFactory LoggerFactory(IServiceProvider sp) => sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
}
