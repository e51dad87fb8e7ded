using Text2Lora.Runtime;
using Text2Lora.Abstractions;
using Text2Lora.Lora;
using TorchSharp;
using static TorchSharp.torch;

namespace Text2Lora.Hypernetworks;

/// <summary>
/// A loaded T2L hypernetwork: the <see cref="HyperModulator"/> plus what it was built for (PEFT config, base-model
/// shapes, encoder and base-model ids). Generation runs in eval mode without gradients and is safe to call from
/// several threads at once.
/// </summary>
public sealed class T2LHypernetwork : IHypernetwork
{
    private readonly CallGate _calls = new(nameof(T2LHypernetwork));

    /// <summary>Wraps <paramref name="module"/> (taking ownership) and switches it to eval mode.</summary>
    /// <param name="module">The network.</param>
    /// <param name="adapterConfig">PEFT config of the generated adapters; its <c>target_modules</c> must be the module's layer-type order.</param>
    /// <param name="targets">Base-model layer count and the target modules' paths and shapes, in layer-type order.</param>
    /// <param name="encoderId">Id of the task encoder the network expects (empty: the base model embeds the description).</param>
    /// <param name="baseModelId">The base model the adapters are for (hub id or path).</param>
    public T2LHypernetwork(HyperModulator module, LoraConfig adapterConfig, LoraTargetDescription targets, string? encoderId = null, string? baseModelId = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(adapterConfig);
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.LayerCount != module.LayerCount || !targets.Modules.SequenceEqual(module.TargetModules))
        {
            throw new ArgumentException("The target description must list the module's layer count and target modules in the same order.", nameof(targets));
        }

        if (adapterConfig.R != module.Rank)
        {
            throw new ArgumentException($"The adapter config's rank {adapterConfig.R} differs from the hypernetwork's {module.Rank}.", nameof(adapterConfig));
        }

        Module = module;
        AdapterConfig = adapterConfig;
        Targets = targets;
        EncoderId = encoderId ?? string.Empty;
        BaseModelId = baseModelId ?? adapterConfig.BaseModelNameOrPath;
        module.eval();
    }

    /// <summary>The network (for training: switch it to train mode and use <see cref="HyperModulator.Forward(Tensor)"/>).</summary>
    public HyperModulator Module { get; }

    /// <summary>The dtype the network computes in: float32 unless it was made by <see cref="ToDType"/>.</summary>
    public ScalarType DType => Module.parameters().First().dtype;

    /// <summary>
    /// A copy of this hypernetwork whose weights are <paramref name="dtype"/> (float32, bfloat16 or float16), so that
    /// generation computes in it (bf16 runs the heads' GEMMs at about twice the fp32 rate on CPUs with AVX-512 BF16
    /// or AMX). The generated adapters stay float32 either way: PEFT creates LoRA weights in fp32 and, with its
    /// default <c>autocast_adapter_dtype</c>, upcasts half-precision adapter weights to fp32 on load. For inference;
    /// training keeps fp32 master weights. The caller owns both hypernetworks (dispose this one when only the copy
    /// is needed). TorchSharp's <c>Module.to(dtype)</c> cannot convert this module (it fails on the head dictionary),
    /// so the copy is built in <paramref name="dtype"/> and the weights are copied in, rounding once.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="dtype"/> is not float32, bfloat16 or float16.</exception>
    public T2LHypernetwork ToDType(ScalarType dtype)
    {
        _ = Models.ModelDType.NameOf(dtype);
        var device = Module.parameters().First().device;
        HyperModulator module;
        // The module creates its weights in the default dtype; set it only while building the copy.
        var previous = get_default_dtype();
        set_default_dtype(dtype);
        try
        {
            module = new HyperModulator(Module.Architecture, Module.Rank, Module.LayerCount, Module.TargetModules);
        }
        finally
        {
            set_default_dtype(previous);
        }

        try
        {
            if (device.type != DeviceType.CPU)
            {
                module.MoveTo(device);
            }

            module.LoadTensors(Module.state_dict(), "the converted hypernetwork");
            return new T2LHypernetwork(module, AdapterConfig.Clone(), Targets, EncoderId, BaseModelId) { DescriptionFormat = DescriptionFormat };
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public int TaskEmbeddingSize => Module.Architecture.TaskEmbeddingSize;

    /// <inheritdoc />
    public LoraConfig AdapterConfig { get; }

    /// <inheritdoc />
    public LoraTargetDescription Targets { get; }

    /// <summary>Id of the task encoder whose embeddings the network was trained on (empty: the base model's own hidden states).</summary>
    public string EncoderId { get; }

    /// <summary>The base model the adapters are for, if known.</summary>
    public string? BaseModelId { get; }

    /// <summary>
    /// How descriptions were prepared for the encoder in training, when the checkpoint records it (Text2Lora's own
    /// format); null: as <see cref="Encoders.TaskEncoderSelection"/> derives it from <see cref="EncoderId"/> (reference checkpoints).
    /// </summary>
    public Encoders.DescriptionFormat? DescriptionFormat { get; init; }

    /// <inheritdoc />
    public IReadOnlyList<LoraAdapter> Generate(Tensor taskEmbeddings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(taskEmbeddings);
        cancellationToken.ThrowIfCancellationRequested();
        using var call = _calls.Enter();
        using var noGrad = no_grad();
        // Embeddings usually come from a CPU encoder; the module may live on another device.
        var device = Module.parameters().First().device;
        using var onDevice = taskEmbeddings.device == device ? null : taskEmbeddings.to(device);
        using var output = AdapterPrecision(Module.Generate(onDevice ?? taskEmbeddings));
        cancellationToken.ThrowIfCancellationRequested();
        return Split(output, taskEmbeddings.shape[0]);
    }

    /// <summary>The factors in float32, the dtype of PEFT adapter weights (see <see cref="ToDType"/>); takes ownership of <paramref name="output"/>.</summary>
    private static HypernetworkOutput AdapterPrecision(HypernetworkOutput output)
    {
        if (output.A(output.Modules[0]).dtype == ScalarType.Float32)
        {
            return output;
        }

        using (output)
        {
            var factors = output.Modules.ToDictionary(
                m => m,
                m => (output.A(m).to_type(ScalarType.Float32), output.B(m).to_type(ScalarType.Float32)),
                StringComparer.Ordinal);
            return new HypernetworkOutput(output.Modules, factors);
        }
    }

    /// <summary>Cuts [N, L, ...] factors into one adapter per task with a <see cref="LoraWeights"/> per module path.</summary>
    internal IReadOnlyList<LoraAdapter> Split(HypernetworkOutput output, long count)
    {
        var adapters = new List<LoraAdapter>((int)count);
        try
        {
            for (long task = 0; task < count; task++)
            {
                var modules = new List<KeyValuePair<string, LoraWeights>>(Targets.LayerCount * Targets.Modules.Count);
                foreach (var module in Targets.Modules)
                {
                    using var a = output.A(module.Name).select(0, task);
                    using var b = output.B(module.Name).select(0, task);
                    for (var layer = 0; layer < Targets.LayerCount; layer++)
                    {
                        var path = module.PathForLayer(layer);
                        // Views of the batch's storage: [r, in] and [out, r] are contiguous slices of it.
                        modules.Add(KeyValuePair.Create(path, new LoraWeights(a.select(0, layer), b.select(0, layer), AdapterConfig.ScalingFor(path))));
                    }
                }

                adapters.Add(new LoraAdapter(AdapterConfig.Clone(), modules));
            }
        }
        catch
        {
            adapters.ForEach(adapter => adapter.Dispose());
            throw;
        }

        return adapters;
    }

    /// <summary>Frees the module; waits for <see cref="Generate"/> calls in flight, later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (_calls.Close())
        {
            Module.Dispose();
        }
    }
}
