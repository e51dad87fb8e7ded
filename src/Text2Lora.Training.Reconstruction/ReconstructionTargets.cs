using TorchSharp;
using static TorchSharp.torch;

namespace Text2Lora.Training.Reconstruction;

/// <summary>
/// What the hypernetwork is trained to output for each library task, per target module (the reference's
/// <c>recon_trainer.compute_loss</c> targets). With a multi-task LoRA (<c>mt_lora_path</c>, factorised targets only) its
/// factors are first subtracted from every adapter's, A − A_mt and B − B_mt (<c>train_hyper_recon.py</c>), and
/// everything below applies to the differences. With z-scores, (A − mean)/(std + 1e-10) per element across the library
/// (likewise B); with raw factors, A and B themselves; without factorisation, ΔW = B·A times <c>delta_w_scaling</c>.
/// Owns its tensors.
/// </summary>
internal sealed class ReconstructionTargets : IDisposable
{
    /// <summary>The reference's guard against a zero spread.</summary>
    public const double StdEpsilon = 1e-10;

    private readonly Dictionary<string, (Tensor First, Tensor? Second)> _targets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (Tensor MeanA, Tensor MeanB, Tensor StdA, Tensor StdB)> _statistics = new(StringComparer.Ordinal);

    /// <summary>Computes the targets on the CPU and keeps them on <paramref name="device"/> (default: CPU), where training reads them every step.</summary>
    public ReconstructionTargets(AdapterLibrary library, AdapterLibrary? multiTask, ReconstructionTrainerOptions options, Device? device = null)
    {
        Compute(library, multiTask, options);
        if (device is not null && device.type != DeviceType.CPU)
        {
            foreach (var name in _targets.Keys.ToList())
            {
                var (first, second) = _targets[name];
                _targets[name] = (MoveTo(first, device), second is null ? null : MoveTo(second, device));
            }

            foreach (var name in _statistics.Keys.ToList())
            {
                var (meanA, meanB, stdA, stdB) = _statistics[name];
                _statistics[name] = (MoveTo(meanA, device), MoveTo(meanB, device), MoveTo(stdA, device), MoveTo(stdB, device));
            }
        }
    }

    private static Tensor MoveTo(Tensor tensor, Device device)
    {
        var moved = tensor.to(device);
        tensor.Dispose();
        return moved;
    }

    private void Compute(AdapterLibrary library, AdapterLibrary? multiTask, ReconstructionTrainerOptions options)
    {
        foreach (var module in library.Targets.Modules)
        {
            using var scope = NewDisposeScope();
            var (a, b) = library[module.Name];
            if (multiTask is not null)
            {
                // [K, L, ...] − [1, L, ...]: the reference subtracts the PEFT state dicts key by key.
                var (mtA, mtB) = multiTask[module.Name];
                (a, b) = (a.sub(mtA), b.sub(mtB));
            }

            if (!options.Factorized)
            {
                _targets[module.Name] = (b.matmul(a).mul(options.DeltaWScaling).MoveToOuterDisposeScope(), null);
                continue;
            }

            if (!options.PredictZScore)
            {
                _targets[module.Name] = (a.clone().MoveToOuterDisposeScope(), b.clone().MoveToOuterDisposeScope());
                continue;
            }

            // torch.std's default (unbiased) estimate across the library, as the reference's get_std_lora.
            var meanA = a.mean([0L]);
            var meanB = b.mean([0L]);
            var stdA = a.std(0, unbiased: true);
            var stdB = b.std(0, unbiased: true);
            _targets[module.Name] = (
                a.sub(meanA).div(stdA.add(StdEpsilon)).MoveToOuterDisposeScope(),
                b.sub(meanB).div(stdB.add(StdEpsilon)).MoveToOuterDisposeScope());
            _statistics[module.Name] = (meanA.MoveToOuterDisposeScope(), meanB.MoveToOuterDisposeScope(), stdA.MoveToOuterDisposeScope(), stdB.MoveToOuterDisposeScope());
        }
    }

    /// <summary>Per-module mean and std (z-score targets only; empty otherwise).</summary>
    public IReadOnlyDictionary<string, (Tensor MeanA, Tensor MeanB, Tensor StdA, Tensor StdB)> Statistics => _statistics;

    /// <summary>Targets of module <paramref name="name"/>: (A, B) [K, L, ...] when factorised, (ΔW [K, L, out, in], null) otherwise.</summary>
    public (Tensor First, Tensor? Second) this[string name] => _targets[name];

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var (first, second) in _targets.Values)
        {
            first.Dispose();
            second?.Dispose();
        }

        foreach (var (meanA, meanB, stdA, stdB) in _statistics.Values)
        {
            meanA.Dispose();
            meanB.Dispose();
            stdA.Dispose();
            stdB.Dispose();
        }
    }
}
