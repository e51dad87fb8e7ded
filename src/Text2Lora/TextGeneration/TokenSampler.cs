using static TorchSharp.torch;

namespace Text2Lora.TextGeneration;

/// <summary>
/// Picks the next token from logits [N, vocab]: argmax when greedy, else transformers' warper order
/// temperature → top-k → top-p, then a multinomial draw from a seeded generator.
/// </summary>
internal sealed class TokenSampler : IDisposable
{
    private readonly GenerationOptions _options;
    private readonly Generator? _generator;

    public TokenSampler(GenerationOptions options, Device device)
    {
        _options = options;
        if (!IsGreedy)
        {
            _generator = new Generator(0, device);
            if (options.Seed is { } seed)
            {
                _generator.manual_seed(seed);
            }
            else
            {
                _generator.seed();
            }
        }
    }

    public bool IsGreedy => _options.Temperature <= 0;

    /// <summary>Next ids [N] (int64).</summary>
    public Tensor Next(Tensor logits)
    {
        if (IsGreedy)
        {
            return logits.argmax(-1);
        }

        using var scope = NewDisposeScope();
        var scores = logits.to_type(ScalarType.Float32).div(_options.Temperature);
        if (_options.TopK > 0 && _options.TopK < scores.shape[^1])
        {
            var (values, _) = scores.topk(_options.TopK, -1);
            scores = scores.masked_fill(scores.lt(values.narrow(-1, _options.TopK - 1, 1)), double.NegativeInfinity);
        }

        if (_options.TopP < 1.0)
        {
            // Drop the tokens whose ascending cumulative probability stays within 1 − p; always keep the most likely.
            var (sorted, indices) = scores.sort(-1, descending: false);
            var cumulative = sorted.softmax(-1).cumsum(-1);
            var remove = cumulative.le(1 - _options.TopP);
            remove.narrow(-1, remove.shape[^1] - 1, 1).fill_(false);
            var removeOriginal = remove.scatter(-1, indices, remove);
            scores = scores.masked_fill(removeOriginal, double.NegativeInfinity);
        }

        var probabilities = scores.softmax(-1);
        return probabilities.multinomial(1, false, _generator).squeeze(-1).MoveToOuterDisposeScope();
    }

    public void Dispose() => _generator?.Dispose();
}
