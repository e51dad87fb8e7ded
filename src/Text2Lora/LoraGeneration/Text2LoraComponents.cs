using Microsoft.Extensions.Logging;
using Text2Lora.Abstractions;
using Text2Lora.Encoders;
using Text2Lora.IO.Hub;
using Text2Lora.Models;
using Text2Lora.Runtime;
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
            new TaskEncoderLoadContext
            {
                BaseModelDirectory = options.BaseModelDirectory,
                Device = DeviceOf(options),
                DType = TaskEncoderLoadContext.DTypeFor(ModelDType.Parse(options.DType)),
                CacheCapacity = options.EmbeddingCacheSize,
            },
            resolver,
            loggerFactory);

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
        logger.LogInformation("Loading hypernetwork from {Directory} onto {Device} in {DType}.", directory, options.Device, options.DType);
        return loader.Load(directory, baseModel, DeviceOf(options), ModelDType.Parse(options.DType));
    }

    /// <summary>The options' device, made usable first (a CUDA device is initialised before other libtorch work).</summary>
    public static Device DeviceOf(Text2LoraOptions options)
    {
        var device = ComputeDevice.Parse(options.Device);
        TorchRuntime.EnsureAvailable(device);
        return device;
    }
}
