using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Text2Lora.Abstractions;
using Text2Lora.Models.Llama;
using Text2Lora.Tokenization;

namespace Text2Lora.Encoders;

/// <summary>
/// Loads the description encoder a <see cref="TaskEncoderChoice"/> names, with its preprocessing, as one
/// <see cref="FormattedTaskEncoder"/>: gte folders through <see cref="GteTaskEncoder"/>, the base model and SFR
/// (Mistral) folders through <see cref="BaseModelTaskEncoder"/> (last-token pooling), MiniLM from the package.
/// Folders are found as <see cref="TaskEncoderLoadContext"/> describes (working directory, then the checkpoint's
/// folder and above), then through the <see cref="IModelFolderResolver"/>; the folder used is logged.
/// </summary>
public sealed class TaskEncoderLoader
{
    private readonly IModelFolderResolver _resolver;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;

    /// <summary>Creates a loader; <paramref name="resolver"/> (default: local folders only) resolves ids that are not folders.</summary>
    public TaskEncoderLoader(IModelFolderResolver? resolver = null, ILoggerFactory? loggerFactory = null)
    {
        _resolver = resolver ?? LocalModelFolderResolver.Instance;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger<TaskEncoderLoader>();
    }

    /// <summary>Loads the encoder of <paramref name="choice"/>; the caller owns the result (disposing it frees what it loaded).</summary>
    /// <exception cref="ModelFolderNotFoundException">The encoder or base-model folder cannot be found.</exception>
    /// <exception cref="InvalidOperationException">The base model is the encoder but neither it nor its folder is given.</exception>
    public FormattedTaskEncoder Load(TaskEncoderChoice choice, TaskEncoderLoadContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(choice);
        ArgumentNullException.ThrowIfNull(context);
        var owned = new List<IDisposable>();
        try
        {
            var raw = LoadRaw(choice, context, owned, cancellationToken);
            ITaskEncoder inner = raw;
            if (context.CacheCapacity > 0)
            {
                inner = new CachingTaskEncoder(raw, context.CacheCapacity);
            }

            _logger.LogInformation("Task encoder: {Family} '{Id}', {Size}-d, descriptions formatted as {Format}.", choice.Family, raw.Id, raw.EmbeddingSize, choice.Format);
            return new FormattedTaskEncoder(choice.Format, inner, [.. owned]);
        }
        catch
        {
            owned.ForEach(d => d.Dispose());
            throw;
        }
    }

    private ITaskEncoder LoadRaw(TaskEncoderChoice choice, TaskEncoderLoadContext context, List<IDisposable> owned, CancellationToken cancellationToken)
    {
        var dtype = context.DType ?? choice.DType;
        switch (choice.Family)
        {
            case TaskEncoderFamily.MiniLm:
                return Own(new MiniLmTaskEncoder(_loggerFactory.CreateLogger<MiniLmTaskEncoder>()));
            case TaskEncoderFamily.Gte:
            {
                var folder = ModelFolderSearch.Find(choice.Id, context.CheckpointDirectory, _resolver, _logger, "task encoder", cancellationToken);
                return Own(GteTaskEncoder.Load(folder, context.Device, dtype, _loggerFactory.CreateLogger<GteTaskEncoder>(), cancellationToken, choice.Id));
            }

            case TaskEncoderFamily.Sfr:
            {
                var folder = ModelFolderSearch.Find(choice.Id, context.CheckpointDirectory, _resolver, _logger, "task encoder", cancellationToken);
                return LastTokenEncoder(folder, choice.Id, dtype, context, owned, cancellationToken);
            }

            case TaskEncoderFamily.BaseModel:
                if (context.BaseModel is { } model)
                {
                    var tokenizer = context.BaseModelTokenizer
                        ?? throw new InvalidOperationException($"{nameof(TaskEncoderLoadContext.BaseModelTokenizer)} is required with {nameof(TaskEncoderLoadContext.BaseModel)}.");
                    return new BaseModelTaskEncoder(model, tokenizer, TaskEmbeddingPooling.LastToken, _loggerFactory.CreateLogger<BaseModelTaskEncoder>());
                }

                var name = context.BaseModelDirectory
                    ?? throw new InvalidOperationException("The hypernetwork embeds descriptions with its base model (emb_model \"\"), but no base model folder is known; pass the base model folder.");
                var baseFolder = ModelFolderSearch.Find(name, context.CheckpointDirectory, _resolver, _logger, "base model (description encoder)", cancellationToken);
                return LastTokenEncoder(baseFolder, string.Empty, dtype, context, owned, cancellationToken);
            default:
                throw new ArgumentOutOfRangeException(nameof(choice), choice.Family, "unknown task encoder family");
        }

        T Own<T>(T disposable)
            where T : IDisposable
        {
            owned.Add(disposable);
            return disposable;
        }
    }

    private BaseModelTaskEncoder LastTokenEncoder(string folder, string id, TorchSharp.torch.ScalarType dtype, TaskEncoderLoadContext context, List<IDisposable> owned, CancellationToken cancellationToken)
    {
        var tokenizer = TokenizerLoader.Load(folder);
        var model = LlamaFamilyModel.Load(folder, new ModelLoadOptions { Device = context.Device, DType = dtype }, _loggerFactory.CreateLogger<LlamaFamilyModel>(), cancellationToken);
        owned.Add(model);
        return new BaseModelTaskEncoder(model, tokenizer, TaskEmbeddingPooling.LastToken, _loggerFactory.CreateLogger<BaseModelTaskEncoder>(), id);
    }
}
