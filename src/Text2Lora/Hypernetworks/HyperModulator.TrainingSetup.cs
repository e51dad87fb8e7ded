using static TorchSharp.torch;

namespace Text2Lora.Hypernetworks;

/// <summary>How a freshly built <see cref="HyperModulator"/> is prepared for SFT or reconstruction training.</summary>
public sealed partial class HyperModulator
{
    /// <summary>
    /// SFT start (the reference's <c>zero_init_head</c> + <c>match_lora_init</c>): every head weight is zeroed and its
    /// bias (when the heads have one) holds PEFT-initialised values, so every task starts from the same adapter
    /// (bias-HyperInit, Beck et al. 2023). L: A ~ Kaiming-uniform(a=√5) = U(±1/√in) and B = 0, exactly PEFT's init.
    /// M: the shared head's bias is such A values divided by √2; since A and B are both read from that one output
    /// (its first in / out columns), B starts from the same values, as in the reference. S: one rank row of A values,
    /// divided by √2·√r (shared) or √r, as the reference does to match the full head's gradient scale.
    /// </summary>
    /// <param name="generator">Random source of the A values (null: the global generator).</param>
    public void InitializeForSft(Generator? generator = null)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        foreach (var module in TargetModules)
        {
            var head = heads[module.Name];
            head.weight!.zero_();
            if (head.bias is not { } bias)
            {
                continue;
            }

            bias.zero_();
            var bound = 1.0 / Math.Sqrt(module.InFeatures);
            long rank = Rank;
            switch (Architecture.SharedABHead, Architecture.AutoregressiveGeneration)
            {
                case (false, false):
                    // [r·in A values | r·out B values = 0], A rank-major as the forward pass slices it.
                    bias.narrow(0, 0, rank * module.InFeatures).uniform_(-bound, bound, generator);
                    break;
                case (true, false):
                    // Rank-major [r, max(in, out)]: the first `in` columns of each rank row are A's.
                    bias.view(rank, -1).narrow(1, 0, module.InFeatures).uniform_(-bound, bound, generator).div_(Math.Sqrt(2));
                    break;
                case (true, true):
                    bias.narrow(0, 0, module.InFeatures).uniform_(-bound, bound, generator).div_(Math.Sqrt(2) * Math.Sqrt(rank));
                    break;
                case (false, true):
                    bias.narrow(0, 0, module.InFeatures).uniform_(-bound, bound, generator).div_(Math.Sqrt(rank));
                    break;
            }
        }
    }

    /// <summary>
    /// Reconstruction with <see cref="HyperModulatorArchitecture.PredictZScore"/>: stores the library's per-element mean
    /// and standard deviation (A [L, r, in], B [L, out, r] per target module name) in <c>mean_recon_target</c> /
    /// <c>std_recon_target</c>, which generation uses to de-normalise and which travel with every checkpoint.
    /// </summary>
    public void SetReconstructionStatistics(IReadOnlyDictionary<string, (Tensor MeanA, Tensor MeanB, Tensor StdA, Tensor StdB)> statistics)
    {
        using var noGrad = no_grad();
        foreach (var module in TargetModules)
        {
            if (!statistics.TryGetValue(module.Name, out var s))
            {
                throw new ArgumentException($"No reconstruction statistics for target module '{module.Name}'.", nameof(statistics));
            }

            mean_recon_target.ForA(module.Name).copy_(s.MeanA);
            mean_recon_target.ForB(module.Name).copy_(s.MeanB);
            std_recon_target.ForA(module.Name).copy_(s.StdA);
            std_recon_target.ForB(module.Name).copy_(s.StdB);
        }
    }

    /// <summary>
    /// Copies a multi-task LoRA's factors, per module A [L, r, in] and B [L, out, r], into <c>AB_offset</c> (frozen):
    /// SFT adds them to every generated adapter, factorised reconstruction adds them after de-normalising (the
    /// reference's <c>mt_lora_path</c>).
    /// </summary>
    public void SetFactorOffset(IReadOnlyDictionary<string, (Tensor A, Tensor B)> offset)
    {
        using var noGrad = no_grad();
        foreach (var module in TargetModules)
        {
            if (!offset.TryGetValue(module.Name, out var o))
            {
                throw new ArgumentException($"No offset factors for target module '{module.Name}'.", nameof(offset));
            }

            AB_offset.ForA(module.Name).copy_(o.A);
            AB_offset.ForB(module.Name).copy_(o.B);
        }
    }
}
