using Text2Lora.Abstractions;
using static TorchSharp.torch;
using Text2Lora.Lora;

namespace Text2Lora.TextGeneration;

/// <summary>
/// The decoding loop: checks the prompts against the model's context (refused, or cut to their last tokens on request),
/// left-pads them, prefills a KV cache that grows with use, then feeds one token per sequence per step (positions and
/// mask as transformers' generate() builds them) until every sequence hit EOS, a stop sequence, the token limit or the
/// end of the context. Finished sequences are fed the pad token, as in transformers.
/// </summary>
internal static class TokenGenerator
{
    /// <summary>New-token positions the cache gets up front; beyond that it doubles as tokens are produced.</summary>
    internal const int InitialNewTokenRoom = 256;

    public static GenerationResult Run(
        IIncrementalDecoder model,
        IReadOnlyList<IReadOnlyList<int>> prompts,
        GenerationOptions options,
        IReadOnlyList<int> eosTokenIds,
        int padTokenId,
        ActiveAdapters? adapters,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        options.Validate();
        if (prompts.Count == 0 || prompts.Any(p => p is null || p.Count == 0))
        {
            throw new ArgumentException("Every prompt needs at least one token.", nameof(prompts));
        }

        using var call = model.EnterCall();
        prompts = FitContext(prompts, model.ContextLength, options);
        var n = prompts.Count;
        var longest = prompts.Max(p => p.Count);
        // Prompt and new tokens together fill at most the context (the rotary tables and the cache end there).
        var maxNewTokens = (int)Math.Min(options.MaxNewTokens, (long)model.ContextLength - longest);
        var ids = new long[n * longest];
        var mask = new long[n * longest];
        var nextPosition = new long[n];
        for (var row = 0; row < n; row++)
        {
            var offset = longest - prompts[row].Count;
            for (var i = 0; i < longest; i++)
            {
                ids[(row * longest) + i] = i < offset ? padTokenId : prompts[row][i - offset];
                mask[(row * longest) + i] = i < offset ? 0 : 1;
            }

            nextPosition[row] = prompts[row].Count;
        }

        using var noGrad = no_grad();
        var device = model.Device;
        var outputs = Enumerable.Range(0, n).Select(_ => new List<int>()).ToArray();
        var finished = new FinishReason?[n];
        var stepLogits = new List<Tensor>();
        using var sampler = new TokenSampler(options, device);
        using var cache = model.CreateCache(n, longest + Math.Clamp(maxNewTokens, 1, InitialNewTokenRoom));
        var eos = eosTokenIds.ToHashSet();

        var attentionMask = tensor(mask, [n, longest], ScalarType.Int64, device);
        Tensor? logits = null;
        try
        {
            using (var inputIds = tensor(ids, [n, longest], ScalarType.Int64, device))
            using (var positions = AttentionMaskPositions.PositionIds(attentionMask))
            {
                logits = maxNewTokens > 0 ? model.Step(inputIds, attentionMask, positions, cache, adapters) : null;
            }

            for (var step = 0; step < maxNewTokens; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                long[] next;
                using (var stepScope = NewDisposeScope())
                {
                    if (options.ReturnStepLogits)
                    {
                        stepLogits.Add(logits!.to_type(ScalarType.Float32).cpu().clone().MoveToOuterDisposeScope());
                    }

                    next = sampler.Next(logits!).cpu().data<long>().ToArray();
                }

                for (var row = 0; row < n; row++)
                {
                    if (finished[row] is not null)
                    {
                        next[row] = padTokenId;
                        continue;
                    }

                    var token = (int)next[row];
                    outputs[row].Add(token);
                    if (eos.Contains(token))
                    {
                        finished[row] = FinishReason.EndOfSequence;
                    }
                    else if (EndsWithStopSequence(outputs[row], options.StopSequences) || options.StopWhen?.Invoke(row, outputs[row]) == true)
                    {
                        finished[row] = FinishReason.StopSequence;
                    }
                }

                if (step == maxNewTokens - 1 || finished.All(f => f is not null))
                {
                    break;
                }

                using var one = ones(n, 1, ScalarType.Int64, device);
                var grown = cat([attentionMask, one], 1);
                attentionMask.Dispose();
                attentionMask = grown;
                using var stepIds = tensor(next, [n, 1], ScalarType.Int64, device);
                using var stepPositions = tensor(nextPosition, [n, 1], ScalarType.Int64, device);
                for (var row = 0; row < n; row++)
                {
                    nextPosition[row]++;
                }

                logits!.Dispose();
                logits = model.Step(stepIds, attentionMask, stepPositions, cache, adapters);
            }
        }
        finally
        {
            logits?.Dispose();
            attentionMask.Dispose();
        }

        var sequences = outputs.Select((tokens, row) => new GeneratedSequence(tokens, finished[row] ?? FinishReason.Length)).ToArray();
        Tensor? stacked = null;
        if (options.ReturnStepLogits)
        {
            stacked = stepLogits.Count > 0 ? stack(stepLogits) : empty(0, n, 0);
            stepLogits.ForEach(t => t.Dispose());
        }

        return new GenerationResult(sequences, stacked);
    }

    /// <summary>
    /// The prompts unchanged when each leaves room for a new token in <paramref name="context"/> positions (or fills it at
    /// most when no token is asked for); otherwise each long one cut to its last tokens
    /// (<see cref="GenerationOptions.TruncatePrompt"/>) or refused.
    /// </summary>
    private static IReadOnlyList<IReadOnlyList<int>> FitContext(IReadOnlyList<IReadOnlyList<int>> prompts, int context, GenerationOptions options)
    {
        var limit = options.MaxNewTokens > 0 ? context - 1 : context;
        if (prompts.All(p => p.Count <= limit))
        {
            return prompts;
        }

        if (!options.TruncatePrompt || limit < 1)
        {
            var index = Enumerable.Range(0, prompts.Count).First(i => prompts[i].Count > limit);
            throw new PromptTooLongException(index, prompts[index].Count, context);
        }

        return [.. prompts.Select(p => p.Count <= limit ? p : p.Skip(p.Count - limit).ToArray())];
    }

    private static bool EndsWithStopSequence(List<int> output, IReadOnlyList<IReadOnlyList<int>> stops)
    {
        foreach (var stop in stops)
        {
            if (stop.Count <= output.Count && System.Runtime.InteropServices.CollectionsMarshal.AsSpan(output)[^stop.Count..].SequenceEqual(stop.ToArray()))
            {
                return true;
            }
        }

        return false;
    }
}
