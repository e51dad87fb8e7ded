using Microsoft.Extensions.Logging;
using Text2Lora.Abstractions;
using Text2Lora.Encoders;
using static TorchSharp.torch;

namespace Text2Lora.LoraGeneration;

/// <summary>Creates the parts named by <see cref="Text2LoraOptions"/>; shared by the DI registration and the builder.</summary>
internal static class Text2LoraComponents
{
    /// <summary>
    /// The description encoder of <paramref name="hypernetwork"/> (or the options' override), with its preprocessing
    /// and the embedding cache when enabled; the result owns what it loaded.
    /// </summary>
    public static ITaskEncoder CreateTaskEncoder(Text2LoraOptions options, IHypernetwork hypernetwork, IModelFolderResolver resolver, ILoggerFactory loggerFactory) =>
        LoraGeneration.CheckpointTaskEncoder.Load(
            hypernetwork,
            options.HypernetworkDirectory,
            options.Encoder,
            new TaskEncoderLoadContext { BaseModelDirectory = options.BaseModelDirectory, Device = device(options.Device), CacheCapacity = options.EmbeddingCacheSize },
            resolver,
            loggerFactory);

    /// <summary><paramref name="encoder"/> behind a cache of <paramref name="capacity"/> entries (0: the encoder itself).</summary>
    public static ITaskEncoder WithCache(ITaskEncoder encoder, int capacity, bool ownsInner) =>
        capacity > 0 ? new CachingTaskEncoder(encoder, capacity, ownsInner) : encoder;

    /// <summary>Loads the hypernetwork the options name.</summary>
    public static IHypernetwork LoadHypernetwork(IHypernetworkLoader loader, Text2LoraOptions options, ILogger logger)
    {
        var directory = options.HypernetworkDirectory
            ?? throw new InvalidOperationException($"{nameof(Text2LoraOptions.HypernetworkDirectory)} is not set.");
        logger.LogInformation("Loading hypernetwork from {Directory} onto {Device}.", directory, options.Device);
        return loader.Load(directory, options.BaseModelDirectory, device(options.Device));
    }
}
