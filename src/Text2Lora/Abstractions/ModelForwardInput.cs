using Text2Lora.Lora;
using static TorchSharp.torch;

namespace Text2Lora.Abstractions;

/// <summary>A batched forward pass of a base model.</summary>
/// <param name="InputIds">Token ids, int64 [N, T]; left padding allowed.</param>
public sealed record ModelForwardInput(Tensor InputIds)
{
    /// <summary>1 for real tokens, 0 for (left) padding, int64 or bool [N, T]; null: all real. Position ids follow
    /// transformers' generate(): <c>cumsum(mask) − 1</c>, padding set to 1.</summary>
    public Tensor? AttentionMask { get; init; }

    /// <summary>Labels int64 [N, T] for the causal LM loss (shifted inside: position t predicts label t+1); −100 is ignored.</summary>
    public Tensor? Labels { get; init; }

    /// <summary>Label smoothing ε of the loss (0: plain cross-entropy; as transformers' LabelSmoother).</summary>
    public double LabelSmoothing { get; init; }

    /// <summary>How the per-token losses reduce to the batch loss (default: mean over counted tokens).</summary>
    public LossReduction LossReduction { get; init; } = LossReduction.TokenMean;

    /// <summary>Runtime LoRA to apply (null: base weights only).</summary>
    public ActiveAdapters? Adapters { get; init; }

    /// <summary>Whether to return the hidden states (embeddings, each layer's output, final norm).</summary>
    public bool OutputHiddenStates { get; init; }

    /// <summary>Whether to return logits. False saves the output-head matmul; with <see cref="Labels"/> the head then runs only on
    /// the positions whose loss counts (the same loss; training with masked prompts does about half the head work).</summary>
    public bool ComputeLogits { get; init; } = true;

    /// <summary>
    /// NEFTune α (Jain et al. 2023): adds uniform noise in ±α/√(T·hidden) to the token embeddings, as transformers'
    /// NEFTune hook does during training. Null: no noise.
    /// </summary>
    public double? NeftuneNoiseAlpha { get; init; }

    /// <summary>Random generator for the NEFTune noise (null: the global one).</summary>
    public Generator? NoiseGenerator { get; init; }
}
