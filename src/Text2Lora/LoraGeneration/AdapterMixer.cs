using Text2Lora.Lora;
using static TorchSharp.torch;

namespace Text2Lora.LoraGeneration;

/// <summary>
/// Weighted combination of LoRA adapters that is exact in weight space: the mixed adapter's update is
/// ΔW = Σᵢ wᵢ · ΔWᵢ = Σᵢ wᵢ sᵢ Bᵢ Aᵢ for every module. A single pair of rank-r factors cannot represent
/// that sum in general, so the ranks are concatenated: A = [c₁A₁; c₂A₂; …] (stacked rows) and
/// B = [B₁ B₂ …] (side by side), with cᵢ = wᵢ sᵢ and a mixed scaling of 1 (<c>r = lora_alpha = Σ rᵢ</c>,
/// rsLoRA off). The result has rank Σ rᵢ; it loads in PEFT like any adapter. (Averaging the factors
/// themselves, Σ wᵢAᵢ and Σ wᵢBᵢ, is not a weighted sum of updates: it adds cross terms Bᵢ Aⱼ.)
/// </summary>
public static class AdapterMixer
{
    /// <summary>
    /// Mixes <paramref name="adapters"/> with <paramref name="weights"/> (any finite reals; they are not
    /// renormalised). All adapters must adapt the same modules with the same shapes. The caller keeps the
    /// inputs and owns the result; its task description joins the inputs' descriptions.
    /// </summary>
    /// <exception cref="ArgumentException">No adapters, a count mismatch, a non-finite weight, or modules that differ.</exception>
    public static LoraAdapter Mix(IReadOnlyList<LoraAdapter> adapters, IReadOnlyList<double> weights)
    {
        ArgumentNullException.ThrowIfNull(adapters);
        ArgumentNullException.ThrowIfNull(weights);
        Validate(adapters, weights);

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
        var descriptions = adapters.Select(adapter => adapter.TaskDescription).OfType<string>().ToList();
        return new LoraAdapter(config, modules, descriptions.Count == 0 ? null : string.Join(Environment.NewLine, descriptions));
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
