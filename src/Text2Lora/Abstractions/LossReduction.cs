namespace Text2Lora.Abstractions;

/// <summary>
/// How the causal-LM loss of a batch reduces its per-token cross-entropies ℓ_{i,t} (label smoothing included; tokens
/// labelled −100 are not counted, n_i is the number of counted tokens of sequence i).
/// </summary>
public enum LossReduction
{
    /// <summary>Every counted token weighs the same: Σ_{i,t} ℓ_{i,t} / Σ_i n_i (transformers' and PyTorch's default).</summary>
    TokenMean,

    /// <summary>
    /// Every sequence weighs the same: (1/N) Σ_i (Σ_t ℓ_{i,t} / n_i), the T2L reference's <c>equally_weight_sample</c>
    /// (<c>sft_trainer.compute_loss</c>). N counts the sequences with at least one counted token (the reference would
    /// divide 0 by 0 for the others).
    /// </summary>
    SampleMean,
}
