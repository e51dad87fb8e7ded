using Microsoft.Extensions.Logging;
using Text2Lora.Abstractions;
using Text2Lora.Encoders;
using Text2Lora.IO.Hub;
using static TorchSharp.torch;

namespace Text2Lora.LoraGeneration;

/// <summary>Creates the parts named by <see cref="Text2LoraOptions"/>; shared by the DI registration and the builder.</summary>
internal static class Text2LoraComponents
{
    /// <summary>The encoder the options choose, behind the embedding cache when it is enabled; the result owns the encoder.</summary>
    public static ITaskEncoder CreateTaskEncoder(Text2LoraOptions options, ILoggerFactory loggerFactory)
    {
        ITaskEncoder encoder = options.TaskEncoder switch
        {
            TaskEncoderKind.MiniLm => new MiniLmTaskEncoder(loggerFactory.CreateLogger<MiniLmTaskEncoder>()),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.TaskEncoder, $"Unknown {nameof(Text2LoraOptions.TaskEncoder)}."),
        };
        return WithCache(encoder, options.EmbeddingCacheSize, ownsInner: true);
    }

    /// <summary><paramref name="encoder"/> behind a cache of <paramref name="capacity"/> entries (0: the encoder itself).</summary>
    public static ITaskEncoder WithCache(ITaskEncoder encoder, int capacity, bool ownsInner) =>
        capacity > 0 ? new CachingTaskEncoder(encoder, capacity, ownsInner) : encoder;

    /// <summary>Loads the hypernetwork the options name, resolving hub references through <paramref name="hub"/>.</summary>
    public static IHypernetwork LoadHypernetwork(IHypernetworkLoader loader, Text2LoraOptions options, HubModelResolver hub, ILogger logger)
    {
        var reference = options.HypernetworkDirectory
            ?? throw new InvalidOperationException($"{nameof(Text2LoraOptions.HypernetworkDirectory)} is not set.");
        var directory = hub.Resolve(reference, ModelFileKind.Hypernetwork);
        var baseModel = options.BaseModelDirectory is { } given ? hub.Resolve(given, ModelFileKind.ModelConfig) : null;
        logger.LogInformation("Loading hypernetwork from {Directory} onto {Device}.", directory, options.Device);
        return loader.Load(directory, baseModel, device(options.Device));
    }
}
