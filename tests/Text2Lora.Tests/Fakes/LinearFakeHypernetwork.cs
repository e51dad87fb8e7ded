using Text2Lora.Abstractions;
using Text2Lora.Lora;
using TorchSharp;
using static TorchSharp.torch;

namespace Text2Lora.Tests.Fakes;

/// <summary>
/// TEST FAKE, not the T2L architecture: a fixed seeded linear map from the task embedding to every LoRA factor
/// (2 layers, q_proj 64→64 and v_proj 64→32, r = 4, the tiny-Llama fixture's shapes). It does real tensor work,
/// so the generator's batching, ownership, concurrency and memory behaviour are exercised, and it records its
/// calls. The real hypernetwork is tested in the Hypernetworks tests.
/// </summary>
internal sealed class LinearFakeHypernetwork : IHypernetwork
{
    private const int Rank = 4;
    private readonly Tensor _projection;
    private int _active;

    public LinearFakeHypernetwork(int taskEmbeddingSize, long seed = 1234)
    {
        TaskEmbeddingSize = taskEmbeddingSize;
        Targets = new LoraTargetDescription(2,
        [
            new LoraTargetModule("q_proj", "model.layers.{0}.self_attn.q_proj", 64, 64),
            new LoraTargetModule("v_proj", "model.layers.{0}.self_attn.v_proj", 64, 32),
        ]);
        AdapterConfig = new LoraConfig { R = Rank, LoraAlpha = 8, UseRslora = true, TargetModules = TargetModules.FromNames(["q_proj", "v_proj"]) };
        var parameters = Targets.LayerCount * Targets.Modules.Sum(m => Rank * (m.InFeatures + m.OutFeatures));
        using var generator = new Generator((ulong)seed);
        _projection = randn([taskEmbeddingSize, parameters], generator: generator).div_(Math.Sqrt(taskEmbeddingSize));
    }

    public int TaskEmbeddingSize { get; }

    public LoraConfig AdapterConfig { get; }

    public LoraTargetDescription Targets { get; }

    public int Calls;

    public List<long> BatchSizes { get; } = [];

    /// <summary>Set when two calls overlapped in time.</summary>
    public bool SawConcurrentCalls { get; private set; }

    public IReadOnlyList<LoraAdapter> Generate(Tensor taskEmbeddings, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Increment(ref _active) > 1)
        {
            SawConcurrentCalls = true;
        }

        try
        {
            Interlocked.Increment(ref Calls);
            lock (BatchSizes)
            {
                BatchSizes.Add(taskEmbeddings.shape[0]);
            }

            Thread.Sleep(1); // widen the window in which overlapping calls would be seen
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var flat = taskEmbeddings.to(ScalarType.Float32).matmul(_projection);
            var adapters = new List<LoraAdapter>();
            for (var n = 0; n < flat.shape[0]; n++)
            {
                var modules = new List<KeyValuePair<string, LoraWeights>>();
                long offset = 0;
                for (var layer = 0; layer < Targets.LayerCount; layer++)
                {
                    foreach (var module in Targets.Modules)
                    {
                        var a = flat[n].narrow(0, offset, Rank * module.InFeatures).reshape(Rank, module.InFeatures).contiguous();
                        offset += Rank * module.InFeatures;
                        var b = flat[n].narrow(0, offset, module.OutFeatures * Rank).reshape(module.OutFeatures, Rank).contiguous();
                        offset += module.OutFeatures * Rank;
                        var path = module.PathForLayer(layer);
                        modules.Add(KeyValuePair.Create(path, new LoraWeights(a.MoveToOuterDisposeScope(), b.MoveToOuterDisposeScope(), AdapterConfig.ScalingFor(path))));
                    }
                }

                adapters.Add(new LoraAdapter(AdapterConfig.Clone(), modules));
            }

            return adapters;
        }
        finally
        {
            Interlocked.Decrement(ref _active);
        }
    }

    /// <summary>Whether <see cref="Dispose"/> was called (ownership tests).</summary>
    public bool Disposed { get; private set; }

    public void Dispose()
    {
        Disposed = true;
        _projection.Dispose();
    }
}
