using Text2Lora.Abstractions;
using Text2Lora.Lora;
using Text2Lora.Tokenization;

namespace Text2Lora.TextGeneration;

/// <summary>Token-level decoding of an <see cref="IBaseModel"/>: the decoding loop drives the model, never the reverse.</summary>
public static class BaseModelGeneration
{
    /// <summary>
    /// Generates continuations of <paramref name="prompts"/> (token ids, unpadded; batched with left padding)
    /// under <c>no_grad</c>, with a KV cache. EOS and pad default to the model's (pad: its pad token, else its first EOS, else 0).
    /// </summary>
    /// <exception cref="NotSupportedException">The model does not support incremental decoding.</exception>
    public static GenerationResult Generate(this IBaseModel model, IReadOnlyList<IReadOnlyList<int>> prompts, GenerationOptions? options = null, ActiveAdapters? adapters = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model is not IIncrementalDecoder decoder)
        {
            throw new NotSupportedException($"{model.GetType().Name} does not support incremental decoding (it does not implement a KV-cached step).");
        }

        options ??= new GenerationOptions();
        var eos = options.EosTokenIds ?? model.Info.EosTokenIds;
        var pad = options.PadTokenId ?? PaddingToken.IdFor(model.Info with { EosTokenIds = eos }, tokenizer: null);
        if (adapters?.BatchSize is { } batch && batch != prompts.Count)
        {
            throw new ArgumentException($"The adapters were prepared for {batch} sequences but {prompts.Count} prompts were given.", nameof(adapters));
        }

        return TokenGenerator.Run(decoder, prompts, options, eos, pad, adapters, cancellationToken);
    }
}
