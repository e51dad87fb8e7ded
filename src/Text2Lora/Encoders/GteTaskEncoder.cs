using Text2Lora.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Text2Lora.Abstractions;
using Text2Lora.Models.Gte;
using Text2Lora.Tokenization;
using static TorchSharp.torch;

namespace Text2Lora.Encoders;

/// <summary>
/// The description encoder of the released T2L checkpoints: <c>Alibaba-NLP/gte-large-en-v1.5</c> (any "NewModel"
/// folder), computed as the reference's <c>embed_texts</c>: uncased WordPiece ids <c>[CLS] … [SEP]</c> truncated at
/// the tokenizer's <c>model_max_length</c>, right-padded batches, the encoder, the <c>[CLS]</c> hidden state, then
/// <c>F.normalize(cls) · √hidden</c> in float32. The text is embedded exactly as given: no trimming, whitespace
/// collapsing or full stop (the reference's <c>add_full_stop</c> is a separate preprocessing step before this
/// encoder). Owns the model; thread-safe on the CPU.
/// </summary>
public sealed class GteTaskEncoder : ITaskEncoder, IDisposable
{
    /// <summary>The hub id the reference checkpoints record as <c>emb_model</c>.</summary>
    public const string ReferenceModelId = "Alibaba-NLP/gte-large-en-v1.5";

    /// <summary>Descriptions per forward pass; larger calls run as several batches (results agree within float rounding).</summary>
    public const int BatchSize = 32;

    private const double NormEpsilon = 1e-12;

    private readonly GteModel _model;
    private readonly WordPieceTextTokenizer _tokenizer;
    private readonly ILogger _logger;
    private readonly CallGate _calls = new(nameof(GteTaskEncoder));

    private GteTaskEncoder(string id, GteModel model, WordPieceTextTokenizer tokenizer, ILogger logger)
    {
        Id = id;
        _model = model;
        _tokenizer = tokenizer;
        _logger = logger;
    }

    /// <inheritdoc />
    public string Id { get; }

    /// <inheritdoc />
    public int EmbeddingSize => _model.Config.HiddenSize;

    /// <summary>The most tokens ([CLS] and [SEP] included) a description keeps; longer ones are cut on the right with a warning.</summary>
    public int MaxTokens => _tokenizer.MaxLength;

    /// <summary>The encoder model (owned by this encoder).</summary>
    public GteModel Model => _model;

    /// <summary>
    /// Loads the model and tokenizer of a Hugging Face gte folder (<c>config.json</c>, <c>model.safetensors</c>,
    /// <c>vocab.txt</c> and/or <c>tokenizer.json</c>, <c>tokenizer_config.json</c>).
    /// </summary>
    /// <param name="directory">The model folder.</param>
    /// <param name="device">Where the model runs (null: CPU); embeddings are always returned on the CPU.</param>
    /// <param name="dtype">float32 (default, as the reference) or bfloat16 / float16 weights and activations.</param>
    /// <param name="logger">Loading information and truncation warnings.</param>
    /// <param name="cancellationToken">Checked while loading weights.</param>
    /// <param name="id">The id recorded for this encoder (default: <paramref name="directory"/> as given).</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">config.json, the weights or the vocabulary are missing.</exception>
    /// <exception cref="Models.Llama.ModelFormatException">Bad or unsupported config or weights; names the key.</exception>
    /// <exception cref="TokenizerFormatException">Bad tokenizer files; names the file and key.</exception>
    public static GteTaskEncoder Load(string directory, Device? device = null, ScalarType dtype = ScalarType.Float32, ILogger? logger = null, CancellationToken cancellationToken = default, string? id = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        logger ??= NullLogger.Instance;
        var model = GteModel.Load(directory, device, dtype, logger, cancellationToken);
        try
        {
            var tokenizer = WordPieceTextTokenizer.Load(directory, model.Config.MaxPositionEmbeddings, model.Config.VocabSize);
            return new GteTaskEncoder(id ?? directory, model, tokenizer, logger);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>The ids the encoder feeds the model for <paramref name="description"/>: <c>[CLS] … [SEP]</c>, truncated to <see cref="MaxTokens"/>.</summary>
    public IReadOnlyList<int> Tokenize(string description)
    {
        ArgumentNullException.ThrowIfNull(description);
        return _tokenizer.Encode(DescriptionWindow.Prefix(description, MaxTokens, _tokenizer.CountTokens));
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">A description is null, empty or whitespace only.</exception>
    public Tensor Encode(IReadOnlyList<string> descriptions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(descriptions);
        var ids = new List<IReadOnlyList<int>>(descriptions.Count);
        for (var i = 0; i < descriptions.Count; i++)
        {
            var text = descriptions[i];
            if (string.IsNullOrWhiteSpace(text))
            {
                throw new ArgumentException($"Task description {i} must contain text; it is empty or whitespace only.", nameof(descriptions));
            }

            // A huge description is never tokenized whole: a prefix that overfills the encoder gives the same kept ids.
            var window = DescriptionWindow.Prefix(text, MaxTokens, _tokenizer.CountTokens);
            var tokens = _tokenizer.Encode(window);
            if (tokens.Count == MaxTokens && _tokenizer.CountTokens(window) is var count && count > MaxTokens)
            {
                _logger.LogWarning("Task description {Index} ({Characters} characters) has {Tokens}{More} tokens; {Encoder} reads at most {MaxTokens}, so it was truncated.",
                    i, text.Length, count, window.Length < text.Length ? " or more" : "", Id, MaxTokens);
            }

            ids.Add(tokens);
        }

        return EncodeTokenIds(ids, cancellationToken);
    }

    /// <summary>
    /// Embeds descriptions given as token ids (with <c>[CLS]</c>/<c>[SEP]</c>) into a float32 CPU tensor [N, hidden]
    /// that the caller owns: right-padded batches of <see cref="BatchSize"/>, CLS pooling, <c>normalize · √hidden</c>.
    /// </summary>
    /// <exception cref="ArgumentException">A description has no ids.</exception>
    public Tensor EncodeTokenIds(IReadOnlyList<IReadOnlyList<int>> descriptions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(descriptions);
        if (descriptions.Any(d => d is null || d.Count == 0))
        {
            throw new ArgumentException("Every description needs at least one token id.", nameof(descriptions));
        }

        if (descriptions.Count == 0)
        {
            return zeros(0, EmbeddingSize);
        }

        using var call = _calls.Enter();
        using var scope = NewDisposeScope();
        var parts = new List<Tensor>();
        for (var start = 0; start < descriptions.Count; start += BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = descriptions.Skip(start).Take(BatchSize).ToList();
            parts.Add(EncodeBatch(batch));
        }

        var result = parts.Count == 1 ? parts[0] : cat(parts, 0);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>Frees the model; waits for encodings in flight, later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (_calls.Close())
        {
            _model.Dispose();
        }
    }

    private Tensor EncodeBatch(IReadOnlyList<IReadOnlyList<int>> batch)
    {
        using var scope = NewDisposeScope();
        var n = batch.Count;
        var longest = batch.Max(d => d.Count);
        var pad = _tokenizer.PadTokenId;
        var ids = new long[n * longest];
        var mask = new long[n * longest];
        for (var row = 0; row < n; row++)
        {
            for (var i = 0; i < longest; i++)
            {
                var real = i < batch[row].Count;
                ids[(row * longest) + i] = real ? batch[row][i] : pad;
                mask[(row * longest) + i] = real ? 1 : 0;
            }
        }

        var inputIds = tensor(ids, [n, longest], ScalarType.Int64);
        var attentionMask = tensor(mask, [n, longest], ScalarType.Int64);
        using var output = _model.Forward(inputIds, attentionMask);
        var cls = output.LastHiddenState.select(1, 0).to_type(ScalarType.Float32);
        var norm = cls.norm(1, keepdim: true).clamp_min(NormEpsilon);
        var embedding = cls.div(norm).mul_(Math.Sqrt(EmbeddingSize));
        return embedding.cpu().contiguous().MoveToOuterDisposeScope();
    }
}
