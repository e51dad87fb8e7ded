using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Text2Lora.IO.Safetensors;
using Text2Lora.Models.Llama;
using TorchSharp;
using static TorchSharp.torch;

namespace Text2Lora.Models.Gte;

/// <summary>
/// The gte encoder ("NewModel", hub code <c>Alibaba-NLP/new-impl</c>; <c>Alibaba-NLP/gte-large-en-v1.5</c>), numerically
/// following the Python code in float32: BERT-style post-LN layers with a packed <c>qkv_proj</c>, NTK-scaled RoPE and a
/// gated MLP. Inputs are right-padded batches; the model runs without gradients and never writes its weights, so
/// concurrent <see cref="Forward"/> calls are safe.
/// </summary>
public sealed class GteModel : IDisposable
{
    /// <summary>The state-dict prefix of the encoder inside task-head variants (<c>NewForSequenceClassification</c>, …).</summary>
    public const string HeadVariantPrefix = "new.";

    private static readonly ScalarType[] SupportedDTypes = [ScalarType.Float32, ScalarType.BFloat16, ScalarType.Float16];

    private readonly GteModule _module;
    private readonly GteRotaryEmbedding? _rotary;

    private GteModel(GteConfig config, Device device, ScalarType dtype)
    {
        if (!SupportedDTypes.Contains(dtype))
        {
            throw new ArgumentException($"Model dtype must be float32, bfloat16 or float16, got {dtype}.", nameof(dtype));
        }

        Config = config;
        Device = device;
        DType = dtype;
        _module = new GteModule(config, dtype, device);
        _module.eval();
        _rotary = device.type == DeviceType.META ? null : new GteRotaryEmbedding(config, device);
    }

    /// <summary>The architecture.</summary>
    public GteConfig Config { get; }

    /// <summary>Where the weights live.</summary>
    public Device Device { get; }

    /// <summary>The weight and activation dtype.</summary>
    public ScalarType DType { get; }

    /// <summary>
    /// Loads a Hugging Face folder (<c>config.json</c> plus <c>model.safetensors</c> or a sharded index). Tensors are
    /// read one at a time from the memory-mapped file straight into the preallocated parameters (no second copy).
    /// Keys may carry the <c>new.</c> prefix of task-head variants; the head's own tensors (and a <c>pooler</c>) are ignored.
    /// </summary>
    /// <param name="directory">The model folder.</param>
    /// <param name="device">Where to put the weights (null: CPU).</param>
    /// <param name="dtype">float32 (default, the reference's dtype), bfloat16 or float16.</param>
    /// <param name="logger">Receives one information line on success.</param>
    /// <param name="cancellationToken">Checked between tensors.</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">config.json or the weights are missing.</exception>
    /// <exception cref="ModelFormatException">Bad or unsupported config, missing/unexpected tensors or shape mismatches; names the key.</exception>
    public static GteModel Load(string directory, Device? device = null, ScalarType dtype = ScalarType.Float32, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Model folder '{directory}' does not exist.");
        }

        Runtime.TorchRuntime.EnsureAvailable();
        var config = GteConfig.Load(directory);
        using var checkpoint = SafetensorsCheckpoint.Open(directory);
        var model = new GteModel(config, device ?? CPU, dtype);
        try
        {
            model.LoadWeights(checkpoint, directory, cancellationToken);
        }
        catch
        {
            model.Dispose();
            throw;
        }

        (logger ?? NullLogger.Instance).LogInformation("Loaded gte encoder from {Directory}: {Layers} layers, hidden {Hidden}, {DType} on {Device}.",
            directory, config.NumHiddenLayers, config.HiddenSize, dtype, model.Device);
        return model;
    }

    /// <summary>
    /// A model with random weights drawn from a generator seeded with <paramref name="seed"/>: linear and embedding
    /// weights normal(0, <paramref name="initializerRange"/>), biases zero, LayerNorm weights one, row
    /// <c>pad_token_id</c> of the word embedding zero (new-impl <c>_init_weights</c>). For tests and benchmarks.
    /// </summary>
    public static GteModel CreateRandom(GteConfig config, long seed, double initializerRange = 0.02, Device? device = null, ScalarType dtype = ScalarType.Float32)
    {
        ArgumentNullException.ThrowIfNull(config);
        Runtime.TorchRuntime.EnsureAvailable();
        var model = new GteModel(config, device ?? CPU, dtype);
        using var noGrad = no_grad();
        using var generator = new Generator((ulong)seed, model.Device);
        foreach (var (name, parameter) in model._module.named_parameters())
        {
            using var scope = NewDisposeScope();
            if (name.EndsWith(".bias", StringComparison.Ordinal))
            {
                parameter.zero_();
            }
            else if (name.Contains("LayerNorm", StringComparison.Ordinal) || name.Contains("_ln.", StringComparison.Ordinal))
            {
                parameter.fill_(1.0);
            }
            else
            {
                parameter.copy_(randn(parameter.shape, ScalarType.Float32, model.Device, generator: generator).mul_(initializerRange));
                if (name == "embeddings.word_embeddings.weight")
                {
                    parameter[config.PadTokenId].zero_();
                }
            }
        }

        return model;
    }

    /// <summary>Writes the weights as <c>model.safetensors</c> (state-dict names, model dtype) into <paramref name="directory"/>, atomically. The config is the caller's to write.</summary>
    public void SaveWeights(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var weights = _module.named_parameters().Select(p => KeyValuePair.Create(p.name, p.parameter.detach())).ToList();
        SafetensorsWriter.Write(Path.Combine(directory, SafetensorsCheckpoint.SingleFileName), weights, new Dictionary<string, string> { ["format"] = "pt" });
    }

    /// <summary>
    /// Runs the encoder on a right-padded batch.
    /// </summary>
    /// <param name="inputIds">Token ids [B, T] (int64).</param>
    /// <param name="attentionMask">1 for real tokens, 0 for padding [B, T] (null: no padding).</param>
    /// <param name="tokenTypeIds">Token types [B, T] (null: all 0, as the reference).</param>
    /// <param name="outputHiddenStates">Also return the embedding output and every layer's output.</param>
    /// <exception cref="ArgumentException">Bad shapes, or ids / token types out of range.</exception>
    public GteModelOutput Forward(Tensor inputIds, Tensor? attentionMask = null, Tensor? tokenTypeIds = null, bool outputHiddenStates = false)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        if (_rotary is null)
        {
            throw new InvalidOperationException("A model on the meta device has no weights to run.");
        }

        Validate(inputIds, attentionMask, tokenTypeIds);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = inputIds.to(ScalarType.Int64, Device);
        var types = tokenTypeIds?.to(ScalarType.Int64, Device);
        var length = ids.shape[1];
        var hidden = _module.Embeddings.call(ids, types);
        var hiddenStates = outputHiddenStates ? new List<Tensor> { hidden } : null;
        var bias = KeyPaddingBias(attentionMask);
        var (cos, sin) = _rotary.Tables(length, DType);
        foreach (var layer in _module.Layers)
        {
            hidden = layer.call(new GteLayerInput(hidden, cos, sin, bias));
            hiddenStates?.Add(hidden);
        }

        var last = hidden.MoveToOuterDisposeScope();
        var states = hiddenStates?.Select(h => ReferenceEquals(h, hidden) ? last : h.MoveToOuterDisposeScope()).ToArray();
        return new GteModelOutput(last, states);
    }

    /// <summary>The RoPE inverse frequencies [head_dim / 2] (float32 copy; for checks against the reference).</summary>
    internal Tensor InverseFrequencies() => _rotary?.InverseFrequencies.clone() ?? throw new InvalidOperationException("no tables on meta");

    /// <summary>The RoPE cos/sin tables [length, head_dim] in float32 (for checks against the reference).</summary>
    internal (Tensor Cos, Tensor Sin) RopeTables(long length) => _rotary?.Tables(length, ScalarType.Float32) ?? throw new InvalidOperationException("no tables on meta");

    /// <summary>Every parameter's state-dict key and shape, in module order (works on the meta device).</summary>
    internal IEnumerable<(string Key, long[] Shape)> ParameterShapes() =>
        _module.named_parameters().Select(p => (p.name, p.parameter.shape));

    /// <summary>A model without weights on the meta device (names and shapes only).</summary>
    internal static GteModel CreateOnMeta(GteConfig config) => new(config, new Device(DeviceType.META), ScalarType.Float32);

    /// <summary>Runs one layer's parts separately (for checks of intermediates against the reference).</summary>
    internal GteModule Module => _module;

    /// <inheritdoc />
    public void Dispose()
    {
        _module.Dispose();
        _rotary?.Dispose();
    }

    /// <summary><c>(1 − mask) · finfo(dtype).min</c> on the keys, [B, 1, 1, T]; null when nothing is padded.</summary>
    private Tensor? KeyPaddingBias(Tensor? attentionMask)
    {
        if (attentionMask is null)
        {
            return null;
        }

        var keep = attentionMask.to(ScalarType.Bool, Device);
        if (keep.all().item<bool>())
        {
            return null;
        }

        var min = DType switch
        {
            ScalarType.BFloat16 => -3.3895313892515355e38,
            ScalarType.Float16 => -65504.0,
            _ => float.MinValue,
        };
        return zeros(keep.shape, DType, Device).masked_fill_(keep.logical_not(), min).view(keep.shape[0], 1, 1, keep.shape[1]);
    }

    private void Validate(Tensor inputIds, Tensor? attentionMask, Tensor? tokenTypeIds)
    {
        if (inputIds.dim() != 2 || inputIds.shape[0] == 0 || inputIds.shape[1] == 0)
        {
            throw new ArgumentException($"Input ids must be a non-empty [batch, length] tensor, got [{string.Join(", ", inputIds.shape)}].", nameof(inputIds));
        }

        if (attentionMask is not null && !attentionMask.shape.SequenceEqual(inputIds.shape))
        {
            throw new ArgumentException($"The attention mask has shape [{string.Join(", ", attentionMask.shape)}], the ids [{string.Join(", ", inputIds.shape)}].", nameof(attentionMask));
        }

        if (tokenTypeIds is not null && !tokenTypeIds.shape.SequenceEqual(inputIds.shape))
        {
            throw new ArgumentException($"The token types have shape [{string.Join(", ", tokenTypeIds.shape)}], the ids [{string.Join(", ", inputIds.shape)}].", nameof(tokenTypeIds));
        }

        CheckRange(inputIds, Config.VocabSize, nameof(inputIds), "vocab_size");
        if (tokenTypeIds is not null)
        {
            CheckRange(tokenTypeIds, Math.Max(Config.TypeVocabSize, 1), nameof(tokenTypeIds), "type_vocab_size");
        }
    }

    private static void CheckRange(Tensor values, long limit, string parameter, string field)
    {
        using var min = values.min();
        using var max = values.max();
        var (low, high) = (min.item<long>(), max.item<long>());
        if (low < 0 || high >= limit)
        {
            throw new ArgumentException($"Values must lie in [0, {limit}) ({field}), got [{low}, {high}].", parameter);
        }
    }

    private void LoadWeights(SafetensorsCheckpoint checkpoint, string directory, CancellationToken cancellationToken)
    {
        var parameters = _module.named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
        var prefix = checkpoint.Keys.Any(k => k.StartsWith(HeadVariantPrefix, StringComparison.Ordinal)) ? HeadVariantPrefix : string.Empty;
        foreach (var key in checkpoint.Keys.Order(StringComparer.Ordinal))
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue; // a task head's own tensors (classifier, lm head) beside the "new." encoder
            }

            var name = key[prefix.Length..];
            if (!parameters.ContainsKey(name) && !name.StartsWith("pooler.", StringComparison.Ordinal))
            {
                throw new ModelFormatException(directory, key, $"unexpected tensor '{key}': a gte model with this config has no such weight.");
            }
        }

        using var noGrad = no_grad();
        foreach (var (name, parameter) in parameters)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var key = prefix + name;
            CheckpointParameter.CopyInto(checkpoint, directory, key, parameter);
        }
    }
}
