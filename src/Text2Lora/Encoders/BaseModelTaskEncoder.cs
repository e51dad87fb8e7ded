using Microsoft.Extensions.Logging;
using Text2Lora.Abstractions;
using Text2Lora.Tokenization;
using static TorchSharp.torch;

namespace Text2Lora.Encoders;

/// <summary>
/// The base LLM as its own description encoder, as the T2L reference does when a checkpoint's <c>emb_model</c> is
/// empty: the description (with the tokenizer's special tokens) runs through the base model, the final hidden states
/// (after the last norm) are pooled (<see cref="TaskEmbeddingPooling"/>), and the result is scaled to
/// <c>normalize_L2(x) · √D</c> (L2 norm clamped at 1e-12, D = hidden size). Descriptions of one call run as one
/// left-padded batch; the model runs without an adapter and without gradients. The caller keeps ownership of the model.
/// </summary>
public sealed class BaseModelTaskEncoder : TaskEncoder
{
    private const double NormEpsilon = 1e-12;
    private const int ReferenceMaxLength = 8192;

    private readonly IBaseModel _model;
    private readonly ITextTokenizer _tokenizer;

    /// <summary>Encodes with <paramref name="model"/> and its <paramref name="tokenizer"/>.</summary>
    /// <param name="model">The model (the base LLM, or a decoder embedding model such as SFR-Embedding-Mistral).</param>
    /// <param name="tokenizer">Its tokenizer; descriptions get its special tokens (BOS) as the HF tokenizer adds them.</param>
    /// <param name="pooling">How the final hidden states are pooled.</param>
    /// <param name="logger">Truncation warnings.</param>
    /// <param name="id">The id recorded for this encoder: empty (the default) for the base model itself.</param>
    public BaseModelTaskEncoder(IBaseModel model, ITextTokenizer tokenizer, TaskEmbeddingPooling pooling = TaskEmbeddingPooling.LastToken, ILogger<BaseModelTaskEncoder>? logger = null, string id = "")
        : base(logger)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        if (!Enum.IsDefined(pooling))
        {
            throw new ArgumentOutOfRangeException(nameof(pooling), pooling, "unknown pooling");
        }

        ArgumentNullException.ThrowIfNull(id);
        _model = model;
        _tokenizer = tokenizer;
        Pooling = pooling;
        Id = id;
    }

    /// <summary>Empty (the default): the id T2L checkpoints record (<c>emb_model: ""</c>) for descriptions embedded by the base model itself.</summary>
    public override string Id { get; }

    /// <inheritdoc />
    public override int EmbeddingSize => _model.Info.HiddenSize;

    /// <summary>
    /// The reference tokenizes descriptions with <c>max_length=2**13</c>; the model's <c>max_position_embeddings</c>
    /// when that is smaller. (Longer descriptions keep their beginning here; the reference's base-model tokenizer has
    /// <c>truncation_side="left"</c> and keeps their end — only descriptions over 8192 tokens differ.)
    /// </summary>
    public override int MaxTokens => Math.Min(ReferenceMaxLength, _model.Info.MaxPositionEmbeddings);

    /// <summary>How the hidden states are pooled.</summary>
    public TaskEmbeddingPooling Pooling { get; }

    /// <summary>
    /// Embeds descriptions given as token ids (special tokens included as the model expects them), e.g. ids made by
    /// another tokenizer or fixed test inputs. Returns a float32 CPU tensor [N, hidden] that the caller owns.
    /// </summary>
    /// <exception cref="ArgumentException">A description has no tokens or more than <see cref="MaxTokens"/>.</exception>
    public Tensor EncodeTokenIds(IReadOnlyList<IReadOnlyList<int>> descriptions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(descriptions);
        if (descriptions.Any(d => d is null || d.Count == 0 || d.Count > MaxTokens))
        {
            throw new ArgumentException($"Every description needs between 1 and {MaxTokens} token ids.", nameof(descriptions));
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (descriptions.Count == 0)
        {
            return zeros(0, EmbeddingSize);
        }

        var n = descriptions.Count;
        var longest = descriptions.Max(d => d.Count);
        var pad = PaddingToken.IdFor(_model.Info, _tokenizer);
        var ids = new long[n * longest];
        var mask = new long[n * longest];
        for (var row = 0; row < n; row++)
        {
            var offset = longest - descriptions[row].Count;
            for (var i = 0; i < longest; i++)
            {
                ids[(row * longest) + i] = i < offset ? pad : descriptions[row][i - offset];
                mask[(row * longest) + i] = i < offset ? 0 : 1;
            }
        }

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var inputIds = tensor(ids, [n, longest], ScalarType.Int64, _model.Device);
        var attentionMask = tensor(mask, [n, longest], ScalarType.Int64, _model.Device);
        using var output = _model.Forward(new ModelForwardInput(inputIds) { AttentionMask = attentionMask, OutputHiddenStates = true, ComputeLogits = false });
        var final = output.HiddenStates![^1].to_type(ScalarType.Float32);
        var pooled = Pooling == TaskEmbeddingPooling.LastToken
            ? final.select(1, longest - 1) // left padding: the last position is every row's last real token
            : Mean(final, attentionMask);
        var norm = pooled.norm(1, keepdim: true).clamp_min(NormEpsilon);
        var embedding = pooled.div(norm).mul(Math.Sqrt(EmbeddingSize));
        return embedding.cpu().contiguous().MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    protected override int CountTokens(string text) => _tokenizer.Encode(text).Count;

    /// <inheritdoc />
    protected override string Truncate(string text, int maxTokens)
    {
        // Decoding a prefix of the ids and encoding it again can take a few more tokens; keep fewer until it fits.
        var pieces = _tokenizer.Encode(text);
        var keep = maxTokens;
        while (true)
        {
            var truncated = _tokenizer.Decode(pieces.Take(keep));
            var excess = CountTokens(truncated) - maxTokens;
            if (excess <= 0)
            {
                return truncated;
            }

            keep -= excess;
        }
    }

    /// <inheritdoc />
    protected override Tensor EncodeCore(IReadOnlyList<string> descriptions, CancellationToken cancellationToken) =>
        EncodeTokenIds([.. descriptions.Select(d => _tokenizer.Encode(d))], cancellationToken);

    private static Tensor Mean(Tensor hidden, Tensor attentionMask)
    {
        var weights = attentionMask.to_type(ScalarType.Float32).unsqueeze(-1);
        return hidden.mul(weights).sum(1).div(weights.sum(1));
    }
}
