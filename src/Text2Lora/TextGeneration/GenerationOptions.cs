namespace Text2Lora.TextGeneration;

/// <summary>How to decode. Greedy unless <see cref="Temperature"/> is above 0.</summary>
public sealed record GenerationOptions
{
    /// <summary>
    /// Maximum new tokens per sequence. Generation also stops (<see cref="FinishReason.Length"/>) when a sequence
    /// fills the model's context, so any value is safe: memory grows with the tokens actually produced.
    /// </summary>
    public int MaxNewTokens { get; init; } = 128;

    /// <summary>
    /// What to do with a prompt longer than the model's context allows (the context less one position for a new
    /// token): false (the default) refuses it with <see cref="PromptTooLongException"/>; true keeps its last tokens.
    /// </summary>
    public bool TruncatePrompt { get; init; }

    /// <summary>Sampling temperature; 0 means greedy (argmax).</summary>
    public double Temperature { get; init; }

    /// <summary>Keep only the k most likely tokens when sampling (0: off).</summary>
    public int TopK { get; init; }

    /// <summary>Nucleus sampling: keep the smallest set of tokens whose probability reaches p (1: off).</summary>
    public double TopP { get; init; } = 1.0;

    /// <summary>Seed of the sampling generator (null: nondeterministic).</summary>
    public long? Seed { get; init; }

    /// <summary>End-of-sequence ids (null: the model config's <c>eos_token_id</c>).</summary>
    public IReadOnlyList<int>? EosTokenIds { get; init; }

    /// <summary>Token-id sequences that end generation when the output ends with one of them.</summary>
    public IReadOnlyList<IReadOnlyList<int>> StopSequences { get; init; } = [];

    /// <summary>
    /// Called after every token appended to a sequence, with the sequence's row and its new tokens so far; returning
    /// true ends that sequence with <see cref="FinishReason.StopSequence"/> (not called after an EOS or a token-id stop
    /// sequence). Runs on the decoding thread, so it also observes tokens as they are produced (streaming). Text stop
    /// strings, which need the tokenizer, are built on it by <see cref="TextGenerator"/>.
    /// </summary>
    public Func<int, IReadOnlyList<int>, bool>? StopWhen { get; init; }

    /// <summary>Id used for left padding and after a sequence finished (null: config <c>pad_token_id</c>, else the first EOS, else 0).</summary>
    public int? PadTokenId { get; init; }

    /// <summary>Whether to return the raw next-token logits of every step (<see cref="GenerationResult.StepLogits"/>).</summary>
    public bool ReturnStepLogits { get; init; }

    /// <summary>Checks the values; throws naming the option.</summary>
    public void Validate()
    {
        if (MaxNewTokens < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxNewTokens), MaxNewTokens, "must be 0 or more.");
        }

        if (!(Temperature >= 0) || double.IsInfinity(Temperature))
        {
            throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "must be a finite number ≥ 0.");
        }

        if (TopK < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(TopK), TopK, "must be 0 (off) or positive.");
        }

        if (!(TopP > 0 && TopP <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(TopP), TopP, "must be in (0, 1].");
        }

        if (StopSequences.Any(s => s.Count == 0))
        {
            throw new ArgumentException("Stop sequences must not be empty.", nameof(StopSequences));
        }
    }
}
