using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Text2Lora.Serving.Scheduling;

namespace Text2Lora.Serving;

/// <summary>Registers the Text2Lora server's services; map its endpoints with <see cref="Text2LoraEndpoints.MapText2Lora"/>.</summary>
public static class ServingServiceCollectionExtensions
{
    /// <summary>
    /// Adds the serving engine (models loaded on its scheduler thread when the host starts) configured by
    /// <paramref name="configure"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The options are invalid (when the host starts).</exception>
    public static IServiceCollection AddText2LoraServing(this IServiceCollection services, Action<ServingOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddSingleton(_ =>
        {
            var options = new ServingOptions();
            configure(options);
            options.Validate();
            return options;
        });
        services.AddSingleton(sp => new ServingEngine(sp.GetRequiredService<ServingOptions>(), sp.GetRequiredService<ILoggerFactory>()));
        services.AddHostedService<EngineStarter>();
        return services;
    }

    /// <summary>Creates the engine when the host starts, so loading begins before the first request.</summary>
    private sealed class EngineStarter(IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            _ = services.GetRequiredService<ServingEngine>();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
