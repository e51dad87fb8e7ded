namespace Text2Lora.LoraGeneration;

/// <summary>How <see cref="AdapterMixer.Mix"/> combines adapters with weights wᵢ (scalings sᵢ, factors Aᵢ [r, in], Bᵢ [out, r]).</summary>
public enum AdapterMixing
{
    /// <summary>
    /// Exact in weight space: ΔW = Σᵢ wᵢ sᵢ Bᵢ Aᵢ. The ranks are concatenated (A = [w₁s₁A₁; w₂s₂A₂; …],
    /// B = [B₁ B₂ …], scaling 1), so the result has rank Σ rᵢ.
    /// </summary>
    ExactDelta,

    /// <summary>
    /// The T2L reference's <c>lora_mixing.mix_loras</c>: every factor is interpolated on its own, A = Σᵢ wᵢAᵢ and
    /// B = Σᵢ wᵢBᵢ, with the adapters' common rank and scaling. The update s·(Σᵢ wᵢBᵢ)(Σⱼ wⱼAⱼ) contains the cross
    /// terms wᵢwⱼ BᵢAⱼ, so it is not Σᵢ wᵢ ΔWᵢ (it is at the end points wₖ = 1, wᵢ≠ₖ = 0). All adapters must share the
    /// rank and the scaling of every module.
    /// </summary>
    FactorInterpolation,
}
