namespace Text2Lora.Evaluation.Running;

/// <summary>How multiple-choice items are scored (generation items are always scored by generation).</summary>
public enum ScoringMethod
{
    /// <summary>Log-likelihood of each option's continuation; the best (normalised) one is the prediction (lm-evaluation-harness).</summary>
    LogLikelihood,

    /// <summary>Greedy generation from the question prompt, matched to the option labels (the T2L reference's evaluation; needs the T2L prompt format).</summary>
    Generation,
}
