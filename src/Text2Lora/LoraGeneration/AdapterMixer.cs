using Text2Lora.Lora;
using static TorchSharp.torch;

namespace Text2Lora.LoraGeneration;

/// <summary>
/// Weighted combination of LoRA adapters, in one of two modes (<see cref="AdapterMixing"/>).
/// <see cref="AdapterMixing.ExactDelta"/> (the default) is exact in weight space: the mixed adapter's update is
/// ΔW = Σᵢ wᵢ · ΔWᵢ = Σᵢ wᵢ sᵢ Bᵢ Aᵢ for every module. A single pair of rank-r factors cannot represent
/// that sum in general, so the ranks are concatenated: A = [c₁A₁; c₂A₂; …] (stacked rows) and
/// B = [B₁ B₂ …] (side by side), with cᵢ = wᵢ sᵢ and a mixed scaling of 1 (<c>r = lora_alpha = Σ rᵢ</c>,
/// rsLoRA off). The result has rank Σ rᵢ; it loads in PEFT like any adapter.
/// <see cref="AdapterMixing.FactorInterpolation"/> is the T2L reference's <c>lora_mixing.py</c>: A = Σ wᵢAᵢ and
/// B = Σ wᵢBᵢ at the common rank, which is not a weighted sum of updates (it adds cross terms Bᵢ Aⱼ).
/// </summary>
public static class AdapterMixer
{
    /// <summary>
    /// Mixes <paramref name="adapters"/> with <paramref name="weights"/> (any finite reals; they are not
    /// renormalised). All adapters must adapt the same modules with the same shapes (for
    /// <see cref="AdapterMixing.FactorInterpolation"/> also the same ranks and scalings). The caller keeps the
    /// inputs and owns the result; its task description joins the inputs' descriptions.
    /// </summary>
    /// <exception cref="ArgumentException">No adapters, a count mismatch, a non-finite weight, or modules that differ.</exception>
    public static LoraAdapter Mix(IReadOnlyList<LoraAdapter> adapters, IReadOnlyList<double> weights, AdapterMixing mode = AdapterMixing.ExactDelta)
    {
        ArgumentNullException.ThrowIfNull(adapters);
        ArgumentNullException.ThrowIfNull(weights);
        Validate(adapters, weights);
        return mode switch
        {
            AdapterMixing.ExactDelta => MixExactDelta(adapters, weights),
            AdapterMixing.FactorInterpolation => InterpolateFactors(adapters, weights),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown adapter mixing mode."),
        };
    }

    private static LoraAdapter MixExactDelta(IReadOnlyList<LoraAdapter> adapters, IReadOnlyList<double> weights)
    {

        var first = adapters[0];
        var modules = new List<KeyValuePair<string, LoraWeights>>(first.Modules.Count);
        try
        {
            foreach (var path in first.Modules.Keys)
            {
                using var scope = NewDisposeScope();
                var rows = new List<Tensor>(adapters.Count);
                var columns = new List<Tensor>(adapters.Count);
                for (var i = 0; i < adapters.Count; i++)
                {
                    var factors = adapters[i].Modules[path];
                    rows.Add(factors.A.mul(weights[i] * factors.Scaling));
                    columns.Add(factors.B);
                }

                var a = cat(rows, 0).MoveToOuterDisposeScope();
                var b = cat(columns, 1).MoveToOuterDisposeScope();
                modules.Add(KeyValuePair.Create(path, new LoraWeights(a, b, scaling: 1.0)));
            }
        }
        catch
        {
            foreach (var (_, factors) in modules)
            {
                factors.Dispose();
            }

            throw;
        }

        var rank = adapters.Sum(adapter => adapter.Config.R);
        var config = first.Config.Clone();
        config.R = rank;
        config.LoraAlpha = rank;
        config.UseRslora = false;
        return new LoraAdapter(config, modules, JoinedDescriptions(adapters));
    }

    /// <summary>A = Σ wᵢAᵢ, B = Σ wᵢBᵢ per module, the first adapter's config (the reference copies its adapter_config.json).</summary>
    private static LoraAdapter InterpolateFactors(IReadOnlyList<LoraAdapter> adapters, IReadOnlyList<double> weights)
    {
        var first = adapters[0];
        for (var i = 1; i < adapters.Count; i++)
        {
            foreach (var (path, factors) in first.Modules)
            {
                var other = adapters[i].Modules[path];
                if (other.Rank != factors.Rank || other.Scaling != factors.Scaling)
                {
                    throw new ArgumentException(
                        $"Module '{path}' has rank {other.Rank} and scaling {other.Scaling} in adapter {i} but rank {factors.Rank} and scaling {factors.Scaling} in adapter 0; "
                        + "factor interpolation needs equal ranks and scalings (exact-delta mixing does not).", nameof(adapters));
                }
            }
        }

        var modules = new List<KeyValuePair<string, LoraWeights>>(first.Modules.Count);
        try
        {
            foreach (var (path, factors) in first.Modules)
            {
                using var scope = NewDisposeScope();
                var a = zeros_like(factors.A);
                var b = zeros_like(factors.B);
                for (var i = 0; i < adapters.Count; i++)
                {
                    a.add_(adapters[i].Modules[path].A, alpha: weights[i]);
                    b.add_(adapters[i].Modules[path].B, alpha: weights[i]);
                }

                modules.Add(KeyValuePair.Create(path, new LoraWeights(a.MoveToOuterDisposeScope(), b.MoveToOuterDisposeScope(), factors.Scaling)));
            }
        }
        catch
        {
            foreach (var (_, factors) in modules)
            {
                factors.Dispose();
            }

            throw;
        }

        return new LoraAdapter(first.Config.Clone(), modules, JoinedDescriptions(adapters));
    }

    private static string? JoinedDescriptions(IReadOnlyList<LoraAdapter> adapters)
    {
        var descriptions = adapters.Select(adapter => adapter.TaskDescription).OfType<string>().ToList();
        return descriptions.Count == 0 ? null : string.Join(Environment.NewLine, descriptions);
    }

    private static void Validate(IReadOnlyList<LoraAdapter> adapters, IReadOnlyList<double> weights)
    {
        if (adapters.Count == 0)
        {
            throw new ArgumentException("At least one adapter is needed to mix.", nameof(adapters));
        }

        if (weights.Count != adapters.Count)
        {
            throw new ArgumentException($"{adapters.Count} adapters need {adapters.Count} weights; got {weights.Count}.", nameof(weights));
        }

        for (var i = 0; i < weights.Count; i++)
        {
            if (!double.IsFinite(weights[i]))
            {
                throw new ArgumentException($"Weight {i} is {weights[i]}; weights must be finite.", nameof(weights));
            }
        }

        var first = adapters[0];
        for (var i = 0; i < adapters.Count; i++)
        {
            var adapter = adapters[i] ?? throw new ArgumentException($"Adapter {i} is null.", nameof(adapters));
            if (adapter.Config.RankPattern.Count > 0 || adapter.Config.AlphaPattern.Count > 0)
            {
                throw new ArgumentException($"Adapter {i} uses rank_pattern/alpha_pattern; mixing supports one rank per adapter.", nameof(adapters));
            }

            if (adapter.Modules.Count != first.Modules.Count)
            {
                throw new ArgumentException($"Adapter {i} adapts {adapter.Modules.Count} modules, adapter 0 adapts {first.Modules.Count}; mixed adapters must adapt the same modules.", nameof(adapters));
            }

            foreach (var (path, factors) in first.Modules)
            {
                var other = adapter.Find(path)
                    ?? throw new ArgumentException($"Adapter {i} does not adapt '{path}', which adapter 0 does.", nameof(adapters));
                if (other.InFeatures != factors.InFeatures || other.OutFeatures != factors.OutFeatures)
                {
                    throw new ArgumentException(
                        $"Module '{path}' is {other.InFeatures}→{other.OutFeatures} in adapter {i} but {factors.InFeatures}→{factors.OutFeatures} in adapter 0.", nameof(adapters));
                }
            }
        }
    }
}
