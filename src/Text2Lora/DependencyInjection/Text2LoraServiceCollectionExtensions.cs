using Text2Lora.LoraGeneration;
using Text2Lora.Hypernetworks.Checkpoints;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Text2Lora.Abstractions;
using Text2Lora.Encoders;

using Text2Lora.IO.Hub;

namespace Text2Lora.DependencyInjection;

/// <summary>Registers Text2Lora in a Microsoft.Extensions.DependencyInjection container.</summary>
public static class Text2LoraServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="ITaskEncoder"/> (the checkpoint's description encoder, or <see cref="Text2LoraOptions.Encoder"/>;
    /// ids that are not folders go to the registered <see cref="IModelFolderResolver"/>), <see cref="IHypernetwork"/>, <see cref="ILoraGenerator"/> (also as
    /// <see cref="LoraGenerator"/>) and the encoder as an <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>, all
    /// singletons created on first use (or at start: <see cref="Text2LoraServicesBuilder.WarmUp"/>), with
    /// <see cref="Text2LoraOptions"/> configured by <paramref name="configure"/> and validated when the host starts
    /// (folders exist and are of the right kind). Services registered before this call win (TryAdd). The hypernetwork
    /// is loaded by the registered <see cref="IHypernetworkLoader"/>. The returned builder adds the base model and an
    /// <c>IChatClient</c>.
    /// </summary>
    public static Text2LoraServicesBuilder AddText2Lora(this IServiceCollection services, Action<Text2LoraOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<Text2LoraOptions>().Configure(configure).ValidateDataAnnotations().ValidateOnStart();
        return AddServices(services, serviceKey: null);
    }

    /// <summary>
    /// As <see cref="AddText2Lora(IServiceCollection, Action{Text2LoraOptions})"/>, with the options bound from
    /// <paramref name="configuration"/> (typically <c>configuration.GetSection("Text2Lora")</c>).
    /// </summary>
    public static Text2LoraServicesBuilder AddText2Lora(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<Text2LoraOptions>().Bind(configuration).ValidateDataAnnotations().ValidateOnStart();
        return AddServices(services, serviceKey: null);
    }

    /// <summary>
    /// As <see cref="AddText2Lora(IServiceCollection, Action{Text2LoraOptions})"/>, every service registered under
    /// <paramref name="serviceKey"/> (resolve with <c>GetRequiredKeyedService</c> or <c>[FromKeyedServices]</c>) and the
    /// options named <c>serviceKey.ToString()</c>: several hypernetworks side by side.
    /// </summary>
    public static Text2LoraServicesBuilder AddKeyedText2Lora(this IServiceCollection services, object serviceKey, Action<Text2LoraOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(serviceKey);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<Text2LoraOptions>(Text2LoraRegistration.OptionsName(serviceKey)).Configure(configure).ValidateDataAnnotations().ValidateOnStart();
        return AddServices(services, serviceKey);
    }

    private static Text2LoraServicesBuilder AddServices(IServiceCollection services, object? serviceKey)
    {
        if (services.Any(d => d.ServiceType == typeof(IHypernetwork) && Equals(d.ServiceKey, serviceKey)))
        {
            services.AddSingleton(new SuppliedHypernetworkRegistration(serviceKey)); // not loaded from the folder: not checked there
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<Text2LoraOptions>, Text2LoraOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<Text2LoraOptions>, Text2LoraFolderKindValidator>());
        services.TryAddSingleton<IHypernetworkLoader, HypernetworkLoader>();
        services.TryAddSingleton(sp => new HubModelResolver(HubOptions.FromEnvironment(), Text2LoraRegistration.LoggerFactory(sp).CreateLogger<HubModelResolver>()));
        services.TryAddSingleton<IModelFolderResolver>(sp => new HubModelFolderResolver(sp.GetRequiredService<HubModelResolver>()));
        services.TryAddKeyedSingleton(serviceKey, (sp, key) => Text2LoraRegistration.Timed(sp, "description encoder", () => Text2LoraComponents.CreateTaskEncoder(
            Text2LoraRegistration.Options(sp, key), sp.GetRequiredKeyedService<IHypernetwork>(key), sp.GetRequiredService<IModelFolderResolver>(), Text2LoraRegistration.LoggerFactory(sp))));
        services.TryAddKeyedSingleton(serviceKey, (sp, key) => Text2LoraRegistration.Timed(sp, "hypernetwork", () => Text2LoraComponents.LoadHypernetwork(
            sp.GetRequiredService<IHypernetworkLoader>(), Text2LoraRegistration.Options(sp, key), sp.GetRequiredService<HubModelResolver>(), Text2LoraRegistration.LoggerFactory(sp).CreateLogger<LoraGenerator>())));
        services.TryAddKeyedSingleton(serviceKey, (sp, key) => new LoraGenerator(
            sp.GetRequiredKeyedService<ITaskEncoder>(key), sp.GetRequiredKeyedService<IHypernetwork>(key), Text2LoraRegistration.LoggerFactory(sp).CreateLogger<LoraGenerator>()));
        services.TryAddKeyedSingleton<ILoraGenerator>(serviceKey, (sp, key) => sp.GetRequiredKeyedService<LoraGenerator>(key));
        services.TryAddKeyedSingleton(serviceKey, (sp, key) => sp.GetRequiredKeyedService<ITaskEncoder>(key).AsEmbeddingGenerator());
        return new Text2LoraServicesBuilder(services, serviceKey);
    }
}
