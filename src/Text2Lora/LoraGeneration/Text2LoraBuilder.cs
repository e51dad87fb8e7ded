using Text2Lora.Hypernetworks.Checkpoints;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Text2Lora.Abstractions;
using Text2Lora.DependencyInjection;
using Text2Lora.Encoders;
using Text2Lora.IO.Hub;

namespace Text2Lora.LoraGeneration;

/// <summary>
/// Builds a <see cref="LoraGenerator"/> without a DI container:
/// <c>Text2LoraBuilder.Create().WithHypernetwork(dir).Build()</c>. The same options, validation and
/// factories as <c>services.AddText2Lora(...)</c>. (The entry point is not a type named <c>Text2Lora</c>,
/// which would be shadowed by the <c>Text2Lora</c> namespace in user code.)
/// </summary>
public sealed class Text2LoraBuilder
{
    private readonly Text2LoraOptions _options = new();
    private IHypernetwork? _hypernetwork;
    private IHypernetworkLoader? _loader;
    private ITaskEncoder? _encoder;
    private IModelFolderResolver? _resolver;
    private ILoggerFactory _loggerFactory = NullLoggerFactory.Instance;
    private HubOptions? _hub;

    private Text2LoraBuilder()
    {
    }

    /// <summary>Starts a builder with default options (the checkpoint's own description encoder, CPU, a 1024-entry embedding cache).</summary>
    public static Text2LoraBuilder Create() => new();

    /// <summary>
    /// Loads the hypernetwork from checkpoint folder <paramref name="directory"/> (with the loader of <see cref="WithHypernetworkLoader"/>),
    /// or from a hub reference <c>org/name[@revision][:subfolder]</c> downloaded into the Hugging Face cache (see <see cref="WithHub"/>).
    /// </summary>
    public Text2LoraBuilder WithHypernetwork(string directory)
    {
        _options.HypernetworkDirectory = directory;
        _hypernetwork = null;
        return this;
    }

    /// <summary>Uses an existing hypernetwork; the caller keeps ownership of it.</summary>
    public Text2LoraBuilder WithHypernetwork(IHypernetwork hypernetwork)
    {
        ArgumentNullException.ThrowIfNull(hypernetwork);
        _hypernetwork = hypernetwork;
        _options.HypernetworkDirectory = null;
        return this;
    }

    /// <summary>The loader that reads the folder given to <see cref="WithHypernetwork(string)"/>.</summary>
    public Text2LoraBuilder WithHypernetworkLoader(IHypernetworkLoader loader)
    {
        ArgumentNullException.ThrowIfNull(loader);
        _loader = loader;
        return this;
    }

    /// <summary>Where hub references are downloaded from and cached (default: <see cref="HubOptions.FromEnvironment()"/>, as huggingface_hub).</summary>
    public Text2LoraBuilder WithHub(HubOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _hub = options;
        return this;
    }

    /// <summary>Overrides the base model the checkpoint names (folder or hub reference); only its <c>config.json</c> is read.</summary>
    public Text2LoraBuilder WithBaseModel(string directory)
    {
        _options.BaseModelDirectory = directory;
        return this;
    }

    /// <summary>
    /// Loads the description encoder from <paramref name="idOrDirectory"/> (a folder, or a hub id for the
    /// <see cref="WithModelFolderResolver"/> resolver) instead of the one the checkpoint records; the checkpoint's
    /// description format is kept. Owned by the built generator.
    /// </summary>
    public Text2LoraBuilder WithEncoder(string idOrDirectory)
    {
        ArgumentNullException.ThrowIfNull(idOrDirectory);
        _options.Encoder = idOrDirectory;
        _encoder = null;
        return this;
    }

    /// <summary>Resolves encoder and base-model ids that are not local folders (default: <see cref="HubModelFolderResolver"/>: local folders, else hub references).</summary>
    public Text2LoraBuilder WithModelFolderResolver(IModelFolderResolver resolver)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        _resolver = resolver;
        return this;
    }

    /// <summary>Uses an existing task encoder as it is (it must apply the hypernetwork's description format itself); the caller keeps ownership of it.</summary>
    public Text2LoraBuilder WithTaskEncoder(ITaskEncoder encoder)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        _encoder = encoder;
        return this;
    }

    /// <summary>Caches up to <paramref name="capacity"/> description embeddings; 0 disables the cache.</summary>
    public Text2LoraBuilder WithEmbeddingCache(int capacity)
    {
        _options.EmbeddingCacheSize = capacity;
        return this;
    }

    /// <summary>The device the hypernetwork runs on: <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    public Text2LoraBuilder WithDevice(string device)
    {
        _options.Device = device;
        return this;
    }

    /// <summary>The precision of the hypernetwork and the description encoder: <c>float32</c> (default), <c>bfloat16</c> or <c>float16</c>.</summary>
    public Text2LoraBuilder WithDType(string dtype)
    {
        _options.DType = dtype;
        return this;
    }

    /// <summary>Where the encoder, loader and generator log.</summary>
    public Text2LoraBuilder WithLoggerFactory(ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _loggerFactory = loggerFactory;
        return this;
    }

    /// <summary>
    /// Validates the settings, loads what is needed and returns the generator; disposing it disposes what the
    /// builder created (not the instances passed in).
    /// </summary>
    /// <exception cref="OptionsValidationException">A setting is invalid; the message names it.</exception>
    /// <exception cref="Runtime.NativeBackendUnavailableException">No TorchSharp backend package is deployed with the application; the message names the one to add.</exception>
    public LoraGenerator Build()
    {
        Validate();
        Runtime.TorchRuntime.EnsureAvailable(); // a missing backend package: the typed error naming it, before any native call
        var owned = new List<IDisposable>();
        try
        {
            var hub = new HubModelResolver(_hub ?? HubOptions.FromEnvironment(), _loggerFactory.CreateLogger<HubModelResolver>());
            var hypernetwork = _hypernetwork;
            if (hypernetwork is null)
            {
                var loader = _loader ?? new HypernetworkLoader();
                hypernetwork = Text2LoraComponents.LoadHypernetwork(loader, _options, hub, _loggerFactory.CreateLogger<LoraGenerator>());
                owned.Add(hypernetwork);
            }

            ITaskEncoder encoder;
            if (_encoder is null)
            {
                encoder = Text2LoraComponents.CreateTaskEncoder(_options, hypernetwork, _resolver ?? new HubModelFolderResolver(hub), _loggerFactory);
                if (encoder is IDisposable disposable)
                {
                    owned.Add(disposable);
                }
            }
            else
            {
                encoder = Text2LoraComponents.WithCache(_encoder, _options.EmbeddingCacheSize, ownsInner: false);
            }

            return new LoraGenerator(encoder, hypernetwork, _loggerFactory.CreateLogger<LoraGenerator>(), [.. owned]);
        }
        catch
        {
            foreach (var disposable in owned)
            {
                disposable.Dispose();
            }

            throw;
        }
    }

    private void Validate()
    {
        var failures = new List<string>();
        foreach (var result in new[]
        {
            new DataAnnotationValidateOptions<Text2LoraOptions>(Options.DefaultName).Validate(Options.DefaultName, _options),
            Text2LoraOptionsValidator.Validate(_options, hypernetworkSupplied: _hypernetwork is not null),
        })
        {
            if (result.Failed)
            {
                failures.AddRange(result.Failures);
            }
        }

        if (failures.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(Text2LoraOptions), failures);
        }
    }
}
