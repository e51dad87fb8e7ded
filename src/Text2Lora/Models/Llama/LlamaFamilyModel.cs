using Text2Lora.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Text2Lora.Abstractions;
using Text2Lora.IO;
using Text2Lora.IO.Safetensors;
using Text2Lora.Lora;
using TorchSharp;
using static TorchSharp.torch;

namespace Text2Lora.Models.Llama;

/// <summary>
/// One config-driven implementation of the Llama family (Llama incl. llama3 RoPE scaling and tied embeddings,
/// Mistral, Qwen2, Gemma 2), numerically following transformers 4.46 in float32.
/// </summary>
public sealed class LlamaFamilyModel : IBaseModel, IIncrementalDecoder
{
    private static readonly ScalarType[] SupportedDTypes = [ScalarType.Float32, ScalarType.BFloat16, ScalarType.Float16];

    /// <summary>Up to this many rows the output head is computed as <c>(W·xᵀ)ᵀ</c> on the CPU (see <see cref="Logits"/>).</summary>
    private const int SmallHeadRows = 16;

    private readonly CausalLmModule _module;
    private readonly RotaryEmbedding _rotary;
    private readonly Dictionary<string, LoraLinear> _loraLayers;
    private readonly CallGate _calls = new(nameof(LlamaFamilyModel));
    private LoraAdapter? _merged;

    private LlamaFamilyModel(LlamaFamilyConfig config, Device device, ScalarType dtype)
    {
        if (!SupportedDTypes.Contains(dtype))
        {
            throw new ArgumentException($"Model dtype must be float32, bfloat16 or float16, got {dtype}.", nameof(dtype));
        }

        Config = config;
        Info = new BaseModelInfo(config.ModelType, config.VocabSize, config.HiddenSize, config.NumHiddenLayers, config.MaxPositionEmbeddings, config.EosTokenIds, config.PadTokenId);
        Device = device;
        DType = dtype;
        LoraTargets = config.LoraTargets();
        _module = new CausalLmModule(config, dtype, device);
        _module.eval();
        _rotary = device.type == DeviceType.META ? null! : new RotaryEmbedding(config, device);
        _loraLayers = _module.modules().OfType<LoraLinear>().Where(l => l.Path != "lm_head").ToDictionary(l => l.Path, StringComparer.Ordinal);
    }

    /// <summary>The architecture, as parsed from <c>config.json</c>.</summary>
    public LlamaFamilyConfig Config { get; }

    /// <inheritdoc />
    public BaseModelInfo Info { get; }

    /// <inheritdoc />
    public Device Device { get; }

    /// <inheritdoc />
    public ScalarType DType { get; }

    /// <inheritdoc />
    public LoraTargetDescription LoraTargets { get; }

    /// <inheritdoc />
    public LoraAdapter? MergedAdapter => _merged;

    /// <summary>
    /// Loads a Hugging Face checkpoint folder (<c>config.json</c> plus <c>model.safetensors</c> or a sharded index).
    /// Tensors are read one at a time straight into the preallocated parameters (no second copy of the model).
    /// </summary>
    /// <exception cref="FileNotFoundException">config.json or the weights are missing.</exception>
    /// <exception cref="ModelFormatException">Bad config, unsupported model_type, missing/unexpected tensors or shape mismatches; names the key.</exception>
    public static LlamaFamilyModel Load(string directory, ModelLoadOptions? options = null, ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Model folder '{directory}' does not exist.");
        }

        options ??= new ModelLoadOptions();
        logger ??= NullLogger.Instance;
        Runtime.TorchRuntime.EnsureAvailable();
        var config = LlamaFamilyConfig.Load(directory);
        InputLimits.EnsureFits(Path.Combine(directory, LlamaFamilyConfig.FileName), config.DominantSizeField(),
            config.EstimateBytes(SafetensorsDType.SizeOf(options.DType)), $"a {config.ModelType} model with this config in {options.DType}");
        using var checkpoint = SafetensorsCheckpoint.Open(directory);
        var model = new LlamaFamilyModel(config, options.Device ?? CPU, options.DType);
        try
        {
            model.LoadWeights(checkpoint, directory, cancellationToken);
        }
        catch
        {
            model.Dispose();
            throw;
        }

        logger.LogInformation("Loaded {ModelType} model from {Directory}: {Layers} layers, hidden {Hidden}, {DType} on {Device}.",
            config.ModelType, directory, config.NumHiddenLayers, config.HiddenSize, options.DType, model.Device);
        return model;
    }

    /// <summary>
    /// A new model with Hugging Face's random initialisation (see <see cref="WeightInitializer"/>): linear and embedding
    /// weights from normal(0, <paramref name="initializerRange"/>), norms one, drawn from a generator seeded with
    /// <paramref name="seed"/> (the same seed gives the same weights). For training from scratch.
    /// </summary>
    public static LlamaFamilyModel CreateRandom(LlamaFamilyConfig config, long seed, double initializerRange = 0.02, ModelLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        options ??= new ModelLoadOptions();
        Runtime.TorchRuntime.EnsureAvailable();
        var model = new LlamaFamilyModel(config, options.Device ?? CPU, options.DType);
        try
        {
            WeightInitializer.Initialize(model._module, config, seed, initializerRange);
        }
        catch
        {
            model.Dispose();
            throw;
        }

        return model;
    }

    /// <summary>
    /// The module that owns every weight, with Hugging Face state-dict names (<c>model.layers.0.self_attn.q_proj.weight</c>):
    /// the parameters a full-parameter training objective optimises. Its parameters are the live weights <see cref="Forward"/>
    /// uses; they require gradients only after <see cref="SetWeightsTrainable"/>.
    /// </summary>
    public nn.Module WeightsModule => _module;

    /// <summary>
    /// Makes every weight require gradients (<paramref name="trainable"/> true, for full-parameter training) or freezes
    /// them again (the state after <see cref="Load"/>, for inference and LoRA training).
    /// </summary>
    /// <exception cref="InvalidOperationException">An adapter is merged into the weights.</exception>
    public void SetWeightsTrainable(bool trainable)
    {
        using var call = _calls.Enter();
        if (_merged is not null)
        {
            throw new InvalidOperationException("Unmerge the adapter before changing whether the base weights train.");
        }

        foreach (var parameter in _module.parameters())
        {
            parameter.requires_grad = trainable;
        }
    }

    /// <summary>
    /// Writes the model as a Hugging Face folder that <see cref="Load"/> (and transformers' <c>from_pretrained</c>) reads:
    /// <c>model.safetensors</c> (HF key names, the model's dtype, no <c>lm_head.weight</c> when tied), <c>config.json</c>
    /// and <c>generation_config.json</c>. Each file is written atomically (temporary file + rename); config.json last.
    /// Tokenizer files are not the model's and are not written.
    /// </summary>
    /// <exception cref="InvalidOperationException">An adapter is merged into the weights.</exception>
    public void Save(string directory, double initializerRange = 0.02)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        using var call = _calls.Enter();
        if (_merged is not null)
        {
            throw new InvalidOperationException("Unmerge the adapter before saving the base model.");
        }

        Directory.CreateDirectory(directory);
        using (no_grad())
        using (NewDisposeScope())
        {
            var weights = _module.state_dict().Select(kv => KeyValuePair.Create(kv.Key, kv.Value.detach())).ToList();
            SafetensorsWriter.Write(Path.Combine(directory, SafetensorsCheckpoint.SingleFileName), weights, new Dictionary<string, string> { ["format"] = "pt" });
        }

        var dtypeName = ModelDType.NameOf(DType);
        AtomicFile.WriteAllText(Path.Combine(directory, Tokenization.TokenizerConfig.GenerationConfigFileName), ConfigJsonWriter.WriteGenerationConfig(Config));
        AtomicFile.WriteAllText(Path.Combine(directory, LlamaFamilyConfig.FileName), Config.ToConfigJson(dtypeName, initializerRange));
    }

    /// <summary>
    /// The number of parameters a model with <paramref name="config"/> has (a tied output head counted once), from the
    /// module tree built on the <c>meta</c> device: no weights are read or allocated.
    /// </summary>
    public static long CountParameters(LlamaFamilyConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        Runtime.TorchRuntime.EnsureAvailable();
        using var model = CreateOnMeta(config);
        return model.ParameterShapes().Sum(p => p.Shape.Aggregate(1L, (product, size) => product * size));
    }

    /// <summary>A model without weights on the <c>meta</c> device: only names and shapes (for inspection and tests).</summary>
    internal static LlamaFamilyModel CreateOnMeta(LlamaFamilyConfig config, ScalarType dtype = ScalarType.Float32) =>
        new(config, new Device(DeviceType.META), dtype);

    /// <summary>Every parameter's state-dict key and shape, in module order.</summary>
    internal IEnumerable<(string Key, long[] Shape)> ParameterShapes() =>
        _module.named_parameters().Select(p => (p.name, p.parameter.shape));

    /// <summary>The parameter with state-dict key <paramref name="key"/> (the live tensor; do not dispose).</summary>
    internal Tensor NamedParameter(string key) =>
        _module.named_parameters().First(p => p.name == key).parameter;

    private void LoadWeights(SafetensorsCheckpoint checkpoint, string directory, CancellationToken cancellationToken)
    {
        var parameters = _module.named_parameters().ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
        foreach (var key in checkpoint.Keys.Order(StringComparer.Ordinal))
        {
            var ignorable = key.EndsWith(".rotary_emb.inv_freq", StringComparison.Ordinal) || (Config.TieWordEmbeddings && key == "lm_head.weight");
            if (!parameters.ContainsKey(key) && !ignorable)
            {
                throw new ModelFormatException(directory, key, $"unexpected tensor '{key}': a {Config.ModelType} model with this config has no such weight.");
            }
        }

        using var noGrad = no_grad();
        foreach (var (key, parameter) in parameters)
        {
            cancellationToken.ThrowIfCancellationRequested();
            CheckpointParameter.CopyInto(checkpoint, directory, key, parameter);
        }
    }

    /// <inheritdoc />
    public ModelForwardOutput Forward(ModelForwardInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var call = _calls.Enter();
        var ids = input.InputIds;
        ValidateIds(ids, input.AttentionMask, input.Adapters);
        using var scope = NewDisposeScope();
        var positions = input.AttentionMask is { } mask ? AttentionMaskPositions.PositionIds(mask) : arange(ids.shape[1], ScalarType.Int64, Device).unsqueeze(0).expand(ids.shape[0], -1);
        var hiddenStates = input.OutputHiddenStates ? new List<Tensor>() : null;
        var hidden = RunDecoder(ids, input.AttentionMask, positions, null, input.Adapters, hiddenStates, input.NeftuneNoiseAlpha, input.NoiseGenerator);
        Tensor? logits = input.ComputeLogits ? Logits(hidden) : null;
        Tensor? loss = input.Labels is not { } labels ? null
            : logits is not null ? CausalLmLoss(logits, labels, input.LabelSmoothing, input.LossReduction)
            : LabelledPositionsLoss(hidden, labels, input.LabelSmoothing, input.LossReduction);

        return new ModelForwardOutput(logits?.MoveToOuterDisposeScope(), hiddenStates?.Select(t => t.MoveToOuterDisposeScope()).ToArray(), loss?.MoveToOuterDisposeScope());
    }

    int IIncrementalDecoder.ContextLength => Config.MaxPositionEmbeddings;

    IDisposable IIncrementalDecoder.EnterCall() => _calls.Enter();

    KvCache IIncrementalDecoder.CreateCache(long batch, long capacity) =>
        new(Config.NumHiddenLayers, batch, Config.NumKeyValueHeads, capacity, Config.HeadDim, DType, Device, Config.MaxPositionEmbeddings);

    Tensor IIncrementalDecoder.Step(Tensor inputIds, Tensor attentionMask, Tensor positionIds, KvCache cache, ActiveAdapters? adapters)
    {
        using var call = _calls.Enter();
        using var scope = NewDisposeScope();
        var hidden = RunDecoder(inputIds, attentionMask, positionIds, cache, adapters, null, null, null);
        var last = hidden.narrow(1, hidden.shape[1] - 1, 1);
        return Logits(last).squeeze(1).to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>Embedding → decoder layers → final norm; appends to <paramref name="cache"/> when given.</summary>
    private Tensor RunDecoder(Tensor ids, Tensor? attentionMask, Tensor positions, KvCache? cache, ActiveAdapters? adapters, List<Tensor>? hiddenStates, double? neftuneAlpha, Generator? generator)
    {
        using var scope = NewDisposeScope();
        var stack = _module.Model;
        var embeddings = stack.EmbedTokens.call(ids);
        if (neftuneAlpha is { } alpha)
        {
            // NEFTune: uniform noise of magnitude α/√(T·d), added to the embedding output (transformers' forward hook).
            var magnitude = alpha / Math.Sqrt(embeddings.shape[1] * embeddings.shape[2]);
            embeddings = embeddings.add(empty_like(embeddings).uniform_(-magnitude, magnitude, generator));
        }

        if (Config.ScaleEmbeddings)
        {
            // Gemma: the normaliser sqrt(hidden) is first rounded to the model dtype (transformers PR 29402).
            embeddings = embeddings.mul(tensor(Math.Sqrt(Config.HiddenSize), DType, Device));
        }

        var past = cache?.Length ?? 0;
        var queryLength = ids.shape[1];
        var hasPadding = attentionMask is not null && !attentionMask.to_type(ScalarType.Bool).all().item<bool>();
        var explicitMask = !stack.AllFused;
        var global = AttentionBias.Build(attentionMask, hasPadding, queryLength, past, null, explicitMask, DType, Device);
        var sliding = Config.SlidingWindow is { } window
            ? AttentionBias.Build(attentionMask, hasPadding, queryLength, past, window, explicitMask, DType, Device)
            : global;
        var (cos, sin) = _rotary.Lookup(positions, DType);
        var hidden = stack.call(new DecoderStackInput(embeddings, cos, sin, global, sliding, cache, adapters, hiddenStates));
        cache?.Advance(queryLength);
        if (hiddenStates is not null)
        {
            for (var i = 0; i < hiddenStates.Count; i++)
            {
                hiddenStates[i] = hiddenStates[i].MoveToOuterDisposeScope();
            }
        }

        return hidden.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Output head, with Gemma 2's final soft-capping <c>c·tanh(z/c)</c>. For a few rows on the CPU (decoding) the head
    /// is computed as <c>(W·xᵀ)ᵀ</c>: with the wide weight as the left operand BLAS parallelises over the vocabulary, and
    /// [8, 512] × [32 000, 512]ᵀ takes 4.7 ms instead of 10.7 ms as <c>F.linear</c> (docs/benchmarks.md); from about
    /// 64 rows on, <c>F.linear</c> is faster again.
    /// </summary>
    private Tensor Logits(Tensor hidden)
    {
        using var scope = NewDisposeScope();
        var weight = _module.HeadWeight;
        var rows = hidden.numel() / hidden.shape[^1];
        var logits = rows <= SmallHeadRows && hidden.device_type == DeviceType.CPU
            ? weight.matmul(hidden.reshape(rows, hidden.shape[^1]).t()).t().contiguous().reshape([.. hidden.shape[..^1], weight.shape[0]])
            : nn.functional.linear(hidden, weight);
        if (Config.FinalLogitSoftcapping is { } cap)
        {
            logits = logits.div(cap).tanh_().mul_(cap);
        }

        return logits.MoveToOuterDisposeScope();
    }

    /// <summary>Cross-entropy of position t predicting label t+1 over labels ≠ −100, in float32, reduced as <paramref name="reduction"/> asks.</summary>
    private static Tensor CausalLmLoss(Tensor logits, Tensor labels, double labelSmoothing, LossReduction reduction)
    {
        using var scope = NewDisposeScope();
        var t = logits.shape[1];
        var shiftedLogits = logits.narrow(1, 0, t - 1).to_type(ScalarType.Float32).reshape(-1, logits.shape[2]);
        var shiftedLabels = labels.narrow(1, 1, t - 1).reshape(-1).to(logits.device);
        if (reduction == LossReduction.TokenMean)
        {
            return nn.functional.cross_entropy(shiftedLogits, shiftedLabels, ignore_index: -100, label_smoothing: labelSmoothing).MoveToOuterDisposeScope();
        }

        // Ignored positions contribute 0 to the unreduced loss (smoothing term included), as in PyTorch.
        var perToken = nn.functional.cross_entropy(shiftedLogits, shiftedLabels, ignore_index: -100, label_smoothing: labelSmoothing, reduction: nn.Reduction.None);
        var rows = labels.shape[0];
        return SampleMean(perToken.view(rows, t - 1).sum(1), shiftedLabels.ne(-100).view(rows, t - 1).sum(1)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The same loss as <see cref="CausalLmLoss"/> when the logits themselves are not wanted (training): the output
    /// head runs only on the positions whose next label counts. With prompts masked this skips most of the largest
    /// matmul (hidden × vocab) and its backward; the loss, smoothing and reduction included, is unchanged.
    /// </summary>
    private Tensor LabelledPositionsLoss(Tensor hidden, Tensor labels, double labelSmoothing, LossReduction reduction)
    {
        using var scope = NewDisposeScope();
        var t = hidden.shape[1];
        var shiftedLabels = labels.narrow(1, 1, t - 1).reshape(-1).to(hidden.device);
        var counted = shiftedLabels.ne(-100).nonzero().squeeze(1);
        var states = hidden.narrow(1, 0, t - 1).reshape(-1, hidden.shape[2]).index_select(0, counted);
        var logits = Logits(states).to_type(ScalarType.Float32);
        var countedLabels = shiftedLabels.index_select(0, counted);
        if (reduction == LossReduction.TokenMean)
        {
            return nn.functional.cross_entropy(logits, countedLabels, label_smoothing: labelSmoothing).MoveToOuterDisposeScope();
        }

        var perToken = nn.functional.cross_entropy(logits, countedLabels, label_smoothing: labelSmoothing, reduction: nn.Reduction.None);
        var rows = labels.shape[0];
        var row = counted.div(t - 1, rounding_mode: RoundingMode.floor);
        var sums = zeros(rows, ScalarType.Float32, hidden.device).index_add(0, row, perToken, 1);
        var counts = zeros(rows, ScalarType.Int64, hidden.device).index_add(0, row, ones_like(row), 1);
        return SampleMean(sums, counts).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// (1/N) Σ_i sums_i / counts_i over the sequences with counts_i &gt; 0 (the reference's <c>equally_weight_sample</c>:
    /// <c>(loss.view(bs, T) / seq_len).sum(-1).mean()</c>, without its 0/0 for a sequence with nothing to predict).
    /// </summary>
    private static Tensor SampleMean(Tensor sums, Tensor counts)
    {
        using var scope = NewDisposeScope();
        var present = counts.gt(0);
        var perSequence = sums.div(counts.clamp_min(1).to_type(ScalarType.Float32));
        return perSequence.sum().div(present.sum().to_type(ScalarType.Float32)).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public ActiveAdapters PrepareAdapter(LoraAdapter adapter)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        using var call = _calls.Enter();
        CheckFits(adapter);
        return ActiveAdapters.Shared(adapter, Device, DType);
    }

    /// <inheritdoc />
    public ActiveAdapters PrepareAdapters(IReadOnlyList<LoraAdapter?> perSequence)
    {
        ArgumentNullException.ThrowIfNull(perSequence);
        using var call = _calls.Enter();
        foreach (var adapter in perSequence)
        {
            if (adapter is not null)
            {
                CheckFits(adapter);
            }
        }

        return ActiveAdapters.PerSequence(perSequence, Device, DType);
    }

    /// <inheritdoc />
    public void MergeAdapter(LoraAdapter adapter)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        using var call = _calls.Enter();
        if (_merged is not null)
        {
            throw new InvalidOperationException("An adapter is already merged; unmerge it first.");
        }

        CheckFits(adapter);
        var copy = adapter.To(Device);
        foreach (var (path, weights) in copy.Modules)
        {
            _loraLayers[path].AddDelta(weights, +1);
        }

        _merged = copy;
    }

    /// <inheritdoc />
    public void UnmergeAdapter()
    {
        using var call = _calls.Enter();
        if (_merged is null)
        {
            throw new InvalidOperationException("No adapter is merged.");
        }

        foreach (var (path, weights) in _merged.Modules)
        {
            _loraLayers[path].AddDelta(weights, -1);
        }

        _merged.Dispose();
        _merged = null;
    }

    /// <summary>Throws naming the module when an adapter targets a module this model lacks or has other shapes.</summary>
    private void CheckFits(LoraAdapter adapter)
    {
        foreach (var (path, weights) in adapter.Modules)
        {
            if (!_loraLayers.TryGetValue(path, out var layer))
            {
                throw new ArgumentException($"Adapter module '{path}' does not exist in this {Config.ModelType} model (expected e.g. 'model.layers.0.self_attn.q_proj').", nameof(adapter));
            }

            if (weights.InFeatures != layer.InFeatures || weights.OutFeatures != layer.OutFeatures)
            {
                throw new ArgumentException(
                    $"Adapter module '{path}' is {weights.OutFeatures}x{weights.InFeatures} but the model's layer is {layer.OutFeatures}x{layer.InFeatures}.", nameof(adapter));
            }
        }
    }

    private void ValidateIds(Tensor ids, Tensor? mask, ActiveAdapters? adapters)
    {
        if (ids.dim() != 2 || ids.dtype != ScalarType.Int64)
        {
            throw new ArgumentException($"input_ids must be int64 [N, T]; got {ids.dtype} [{string.Join(", ", ids.shape)}].", nameof(ids));
        }

        if (mask is not null && !mask.shape.SequenceEqual(ids.shape))
        {
            throw new ArgumentException($"attention_mask [{string.Join(", ", mask.shape)}] must match input_ids [{string.Join(", ", ids.shape)}].", nameof(mask));
        }

        if (adapters?.BatchSize is { } batch && batch != ids.shape[0])
        {
            throw new ArgumentException($"The adapters were prepared for {batch} sequences but the batch has {ids.shape[0]}.", nameof(adapters));
        }
    }

    /// <summary>
    /// Frees the weights. Waits for calls in flight on other threads (a generation finishes its current step); later
    /// calls throw <see cref="ObjectDisposedException"/>.
    /// </summary>
    public void Dispose()
    {
        if (!_calls.Close())
        {
            return;
        }

        _merged?.Dispose();
        _rotary?.Dispose();
        _module.Dispose();
    }
}
