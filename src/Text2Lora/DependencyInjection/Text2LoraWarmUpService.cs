using System.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Text2Lora.Abstractions;
using Text2Lora.Chat;

namespace Text2Lora.DependencyInjection;

/// <summary>
/// Loads one registration's services when the host starts (<see cref="Text2LoraServicesBuilder.WarmUp"/>), checks the
/// encoder against the hypernetwork, and optionally runs one adapter generation and one decoding step.
/// </summary>
internal sealed class Text2LoraWarmUpService(IServiceProvider services, object? serviceKey, bool runOnce) : IHostedService
{
    /// <summary>The description of the warm-up generation (any text works; its adapter is discarded).</summary>
    internal const string WarmUpDescription = "Answer the question.";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var logger = Text2LoraRegistration.LoggerFactory(services).CreateLogger<Text2LoraWarmUpService>();
        var clock = Stopwatch.StartNew();
        var hypernetwork = services.GetRequiredKeyedService<IHypernetwork>(serviceKey);
        var encoder = services.GetRequiredKeyedService<ITaskEncoder>(serviceKey);
        if (encoder.EmbeddingSize != hypernetwork.TaskEmbeddingSize)
        {
            throw new InvalidOperationException(
                $"The description encoder '{encoder.Id}' gives {encoder.EmbeddingSize}-dimensional embeddings but the hypernetwork expects {hypernetwork.TaskEmbeddingSize} " +
                $"({nameof(LoraGeneration.Text2LoraOptions.Encoder)} names the wrong encoder for this checkpoint).");
        }

        var generator = services.GetRequiredKeyedService<ILoraGenerator>(serviceKey);
        var chat = services.GetKeyedService<IChatClient>(serviceKey);
        logger.LogInformation("Text2Lora{Key} loaded at start in {Milliseconds} ms.", KeySuffix, clock.ElapsedMilliseconds);
        if (!runOnce)
        {
            return;
        }

        clock.Restart();
        using var adapter = await generator.FromDescriptionAsync(WarmUpDescription, cancellationToken).ConfigureAwait(false);
        if (chat is not null)
        {
            await chat.GetResponseAsync("Hi", new ChatOptions { MaxOutputTokens = 1 }.WithAdapter(adapter), cancellationToken).ConfigureAwait(false);
        }

        logger.LogInformation("Text2Lora{Key} warm-up run (one adapter generation{Chat}) in {Milliseconds} ms.",
            KeySuffix, chat is null ? "" : " and one decoding step", clock.ElapsedMilliseconds);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private string KeySuffix => serviceKey is null ? "" : $" '{serviceKey}'";
}
