namespace Text2Lora.Evaluation.Scoring;

/// <summary>How the log-likelihoods of multiple-choice continuations are compared.</summary>
public enum ChoiceNormalization
{
    /// <summary>Unnormalised sum of token log-probabilities (lm-evaluation-harness <c>acc</c>).</summary>
    None,

    /// <summary>Sum divided by the continuation's token count (mean log-probability per token; tokenizer-dependent).</summary>
    PerToken,

    /// <summary>Sum divided by the choice text's length in code points (lm-evaluation-harness <c>acc_norm</c>).</summary>
    PerCharacter,
}
