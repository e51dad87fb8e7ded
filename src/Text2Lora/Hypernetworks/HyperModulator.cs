using Text2Lora.Hypernetworks.Checkpoints;
using Text2Lora.Hypernetworks.Modules;
using Text2Lora.Lora;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Text2Lora.Hypernetworks;

/// <summary>
/// The T2L hypernetwork (the reference <c>HyperModulator</c>): task embedding → LoRA factors A and B for every
/// layer and target module. Private fields carry the reference's state-dict names (<c>task_encoder</c>,
/// <c>mixer</c>, <c>mlp1</c>, <c>heads</c>, <c>out_emb</c>, ...), so reference checkpoints load without renaming.
/// One batched pass: the trunk runs once on all (task × module × layer [× A/B] [× rank]) rows; each target
/// module then needs one (or two) large head matmuls. No per-layer loop.
/// </summary>
public sealed partial class HyperModulator : Module
{
    private const double DropoutProbability = 0.05;

    private readonly LoraFactorTable AB_offset;
    private readonly LoraFactorTable mean_recon_target;
    private readonly LoraFactorTable std_recon_target;
    private readonly TaskEmbeddingProjection task_encoder;
    private readonly Sequential layer_depth_encoder;
    private readonly Sequential layer_type_encoder;
    private readonly Sequential mixer;
    private readonly MlpResidualBlock mlp1;
    private readonly MlpResidualBlock mlp2;
    private readonly Sequential mlp3;
    private readonly Sequential? pos_emb;
    private readonly ModuleDict<OutputEmbedding>? out_emb;
    private readonly LayerNorm? out_emb_norm;
    private readonly ModuleDict<Linear> heads;

    /// <summary>
    /// Builds a freshly initialised hypernetwork (TorchSharp's default init; load a checkpoint to use it).
    /// </summary>
    /// <param name="architecture">Sizes and flags.</param>
    /// <param name="rank">LoRA rank r.</param>
    /// <param name="layerCount">Base-model layers L.</param>
    /// <param name="modules">Target modules in layer-type order (row i of <c>layer_type_encoder</c> belongs to module i).</param>
    public HyperModulator(HyperModulatorArchitecture architecture, int rank, int layerCount, IReadOnlyList<LoraTargetModule> modules)
        : base(nameof(HyperModulator))
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(modules);
        architecture.Validate();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rank);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(layerCount);
        if (modules.Count == 0 || modules.Select(m => m.Name).Distinct(StringComparer.Ordinal).Count() != modules.Count)
        {
            throw new ArgumentException("Target modules must be non-empty and distinct.", nameof(modules));
        }

        Architecture = architecture;
        Rank = rank;
        LayerCount = layerCount;
        TargetModules = modules.ToArray();

        var latent = architecture.LatentSize;
        var encoded = latent / 2;
        var positional = latent / 4;
        AB_offset = new LoraFactorTable(nameof(AB_offset), layerCount, rank, modules);
        mean_recon_target = new LoraFactorTable(nameof(mean_recon_target), layerCount, rank, modules);
        std_recon_target = new LoraFactorTable(nameof(std_recon_target), layerCount, rank, modules);
        task_encoder = new TaskEmbeddingProjection(architecture.TaskEmbeddingSize, encoded);
        layer_depth_encoder = Sequential(Embedding(layerCount, positional), LayerNorm(positional));
        layer_type_encoder = Sequential(Embedding(modules.Count, positional), LayerNorm(positional));
        mixer = Sequential(
            Dropout(DropoutProbability),
            Linear(latent, latent * 4),
            SiLU(),
            Dropout(DropoutProbability),
            Linear(latent * 4, latent),
            SiLU(),
            Dropout(DropoutProbability));
        mlp1 = new MlpResidualBlock(latent, latent * 4, DropoutProbability);
        mlp2 = new MlpResidualBlock(latent, latent * 4, DropoutProbability);
        mlp3 = Sequential(
            LayerNorm(latent),
            Linear(latent, latent * 4),
            SiLU(),
            Dropout(DropoutProbability),
            Linear(latent * 4, architecture.HeadInSize),
            SiLU());
        if (architecture.LearnablePositionEmbedding)
        {
            pos_emb = Sequential(Embedding(rank, latent), LayerNorm(latent));
        }

        if (architecture.SharedABHead)
        {
            out_emb = new ModuleDict<OutputEmbedding>();
            foreach (var module in modules)
            {
                out_emb.Add(module.Name, new OutputEmbedding(latent));
            }

            out_emb_norm = LayerNorm(latent);
        }

        heads = new ModuleDict<Linear>();
        foreach (var module in modules)
        {
            heads.Add(module.Name, Linear(architecture.HeadInSize, HeadOutputSize(module), architecture.HeadBias));
        }

        RegisterComponents();
    }

    /// <summary>
    /// Bytes a float32 hypernetwork of this shape takes (parameters, the three factor tables) plus the activations of
    /// one generation, from the sizes alone (a double, so corrupt sizes cannot overflow). Loaders check it against
    /// <see cref="IO.InputLimits"/> before anything is allocated.
    /// </summary>
    public static double EstimateBytes(HyperModulatorArchitecture architecture, int rank, int layerCount, IReadOnlyList<LoraTargetModule> modules)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(modules);
        double latent = architecture.LatentSize, headIn = architecture.HeadInSize, r = rank, layers = layerCount;
        var factorTables = 3 * layers * r * modules.Sum(m => (double)m.InFeatures + m.OutFeatures);
        var trunk = architecture.TaskEmbeddingSize * latent + 3 * 8 * latent * latent + 4 * latent * headIn + (layers + modules.Count) * latent;
        var heads = modules.Sum(m => headIn * (architecture.SharedABHead, architecture.AutoregressiveGeneration) switch
        {
            (false, false) => r * (m.InFeatures + (double)m.OutFeatures),
            (false, true) => m.InFeatures + (double)m.OutFeatures,
            (true, false) => r * Math.Max(m.InFeatures, m.OutFeatures),
            (true, true) => Math.Max(m.InFeatures, m.OutFeatures),
        });
        var rows = modules.Count * layers * (architecture.SharedABHead ? 2 : 1) * (architecture.AutoregressiveGeneration ? r : 1);
        var activations = rows * (4 * latent + headIn) + factorTables / 3;
        return (factorTables + trunk + heads + (architecture.LearnablePositionEmbedding ? r * latent : 0) + activations) * sizeof(float);
    }

    /// <summary>
    /// Moves every parameter and buffer to <paramref name="device"/>, one tensor at a time (a dtype change is
    /// <see cref="T2LHypernetwork.ToDType"/>). Use it instead of <c>Module.to</c>: TorchSharp 0.107's <c>to</c> throws on
    /// <c>ModuleDict</c> (its two indexers are both public properties named "Item"), so each module without children
    /// is moved on its own (this module holds no tensors of its own).
    /// </summary>
    public void MoveTo(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        foreach (var (_, module) in named_modules().Where(m => !m.module.named_children().Any()).ToList())
        {
            module.to(device);
        }
    }

    /// <summary>Sizes and flags.</summary>
    public HyperModulatorArchitecture Architecture { get; }

    /// <summary>LoRA rank r.</summary>
    public int Rank { get; }

    /// <summary>Number of base-model layers L.</summary>
    public int LayerCount { get; }

    /// <summary>Target modules in layer-type order.</summary>
    public IReadOnlyList<LoraTargetModule> TargetModules { get; }

    /// <summary>
    /// The training-friendly path: factors for N task embeddings [N, D] as the reference's
    /// <c>get_delta_weights(factorized=True)</c> returns them (SFT: with <c>AB_offset</c> added; recon: the raw,
    /// still normalised prediction). Differentiable; respects train/eval mode (dropout).
    /// </summary>
    public HypernetworkOutput Forward(Tensor taskEmbeddings) => Forward(taskEmbeddings, trace: null);

    /// <summary>
    /// Generation: <see cref="Forward(Tensor)"/> followed by the reference's <c>convert_to_raw_scale</c> for
    /// reconstruction-trained networks (z-score de-normalisation, or division by sqrt(<c>delta_w_scaling</c>)).
    /// </summary>
    /// <exception cref="NotSupportedException">A recon network with <c>pred_z_score</c> but not <c>factorized</c> (the reference cannot generate from it either).</exception>
    public HypernetworkOutput Generate(Tensor taskEmbeddings) => Generate(taskEmbeddings, trace: null);

    internal HypernetworkOutput Generate(Tensor taskEmbeddings, Action<string, Tensor>? trace)
    {
        var arch = Architecture;
        if (arch.TrainingTask == HypernetworkTrainingTask.Recon && !arch.Factorized && arch.PredictZScore)
        {
            throw new NotSupportedException("This reconstruction hypernetwork predicts z-scores of ΔW (pred_z_score: true, factorized: false); LoRA factors cannot be generated from it (the reference raises NotImplementedError too).");
        }

        var output = Forward(taskEmbeddings, trace);
        if (arch.TrainingTask == HypernetworkTrainingTask.Sft)
        {
            return output;
        }

        using (output)
        {
            using var scope = NewDisposeScope();
            var factors = new Dictionary<string, (Tensor A, Tensor B)>(StringComparer.Ordinal);
            foreach (var module in TargetModules)
            {
                var a = ToRawScale(output.A(module.Name), mean_recon_target.ForA(module.Name), std_recon_target.ForA(module.Name), AB_offset.ForA(module.Name));
                var b = ToRawScale(output.B(module.Name), mean_recon_target.ForB(module.Name), std_recon_target.ForB(module.Name), AB_offset.ForB(module.Name));
                factors[module.Name] = (a.MoveToOuterDisposeScope(), b.MoveToOuterDisposeScope());
            }

            return new HypernetworkOutput(output.Modules, factors);
        }
    }

    internal HypernetworkOutput Forward(Tensor taskEmbeddings, Action<string, Tensor>? trace)
    {
        ArgumentNullException.ThrowIfNull(taskEmbeddings);
        var arch = Architecture;
        if (taskEmbeddings.dim() != 2 || taskEmbeddings.shape[1] != arch.TaskEmbeddingSize)
        {
            throw new ArgumentException($"Task embeddings must be [N, {arch.TaskEmbeddingSize}]; got [{string.Join(", ", taskEmbeddings.shape)}].", nameof(taskEmbeddings));
        }

        using var scope = NewDisposeScope();
        var reference = heads[TargetModules[0].Name].weight!;
        var device = reference.device;
        var n = taskEmbeddings.shape[0];
        long layers = LayerCount;
        long types = TargetModules.Count;

        var encoded = task_encoder.forward(taskEmbeddings.to(reference.dtype, device));   // [N, latent/2]
        trace?.Invoke("task_encoder", encoded);
        var depth = layer_depth_encoder.forward(arange(layers, ScalarType.Int64, device));      // [L, latent/4]
        trace?.Invoke("layer_depth_encoder", depth);
        var type = layer_type_encoder.forward(arange(types, ScalarType.Int64, device));         // [M, latent/4]
        trace?.Invoke("layer_type_encoder", type);

        // Rows ordered [N, M, L]: concat(encoded task, depth, type) as the reference's _hypernet_forward.
        var joined = cat(
            [
                encoded.view(n, 1, 1, -1).expand(n, types, layers, -1),
                depth.view(1, 1, layers, -1).expand(n, types, layers, -1),
                type.view(1, types, 1, -1).expand(n, types, layers, -1),
            ],
            dim: -1);
        var mixed = mixer.forward(joined);
        trace?.Invoke("mixer", mixed);
        var trunk = mlp1.forward(mixed);                                                          // [N, M, L, latent]
        trace?.Invoke("mlp1", trunk);

        var factors = arch.SharedABHead ? SharedHeadFactors(trunk, trace) : SeparateHeadFactors(trunk, trace);
        var result = new Dictionary<string, (Tensor A, Tensor B)>(StringComparer.Ordinal);
        foreach (var (module, (aRaw, bRankMajor)) in TargetModules.Zip(factors))
        {
            // B is produced rank-major [.., r, out] and transposed to PEFT's [.., out, r].
            var a = aRaw;
            var b = bRankMajor.transpose(-1, -2);
            if (arch.TrainingTask == HypernetworkTrainingTask.Sft)
            {
                a = a.add(AB_offset.ForA(module.Name));
                b = b.add(AB_offset.ForB(module.Name));
            }

            result[module.Name] = (a.contiguous().MoveToOuterDisposeScope(), b.contiguous().MoveToOuterDisposeScope());
        }

        return new HypernetworkOutput(TargetModules.Select(m => m.Name).ToArray(), result);
    }

    /// <summary>
    /// Checks that <paramref name="tensors"/> holds exactly this module's state-dict keys with matching shapes
    /// (throwing <see cref="HypernetworkCheckpointException"/> naming <paramref name="source"/> and the key otherwise),
    /// then copies them in. Nothing is copied when a check fails.
    /// </summary>
    internal void LoadTensors(IReadOnlyDictionary<string, Tensor> tensors, string source)
    {
        var expected = state_dict();
        CheckKeys(tensors.ToDictionary(kv => kv.Key, kv => kv.Value.shape, StringComparer.Ordinal), source);
        using var noGrad = no_grad();
        foreach (var (key, target) in expected)
        {
            target.copy_(tensors[key]);
        }

        RestoreTrainability();
    }

    /// <summary>
    /// Marks every parameter trainable except the frozen LoRA-shaped tables (<c>AB_offset</c>, <c>mean_recon_target</c>,
    /// <c>std_recon_target</c>), as the reference's <c>requires_grad</c> flags are; loading a state dict through
    /// TorchSharp clears the flags, so loaders call this afterwards.
    /// </summary>
    internal void RestoreTrainability()
    {
        foreach (var (name, parameter) in named_parameters())
        {
            var frozen = name.StartsWith($"{nameof(AB_offset)}.", StringComparison.Ordinal)
                || name.StartsWith($"{nameof(mean_recon_target)}.", StringComparison.Ordinal)
                || name.StartsWith($"{nameof(std_recon_target)}.", StringComparison.Ordinal);
            parameter.requires_grad = !frozen;
        }
    }

    /// <summary>Checks a checkpoint's key → shape listing against this module's state dict (exact key set, equal shapes).</summary>
    internal void CheckKeys(IReadOnlyDictionary<string, long[]> shapes, string source)
    {
        var expected = state_dict();
        var missing = expected.Keys.FirstOrDefault(k => !shapes.ContainsKey(k));
        if (missing is not null)
        {
            throw new HypernetworkCheckpointException(source, missing, "the checkpoint has no tensor for this key, which the architecture needs.");
        }

        var unexpected = shapes.Keys.FirstOrDefault(k => !expected.ContainsKey(k));
        if (unexpected is not null)
        {
            throw new HypernetworkCheckpointException(source, unexpected, "the architecture has no parameter for this checkpoint tensor (unsupported variant or mismatched flags).");
        }

        foreach (var (key, target) in expected)
        {
            if (!target.shape.SequenceEqual(shapes[key]))
            {
                throw new HypernetworkCheckpointException(source, key, $"shape [{string.Join(", ", shapes[key])}] does not match the architecture's [{string.Join(", ", target.shape)}].");
            }
        }
    }

    /// <summary>L size (and L with autoreg): each module's head emits A and B together.</summary>
    private List<(Tensor A, Tensor B)> SeparateHeadFactors(Tensor trunk, Action<string, Tensor>? trace)
    {
        var (n, layers, rank) = (trunk.shape[0], (long)LayerCount, (long)Rank);
        Tensor hidden;
        if (!Architecture.AutoregressiveGeneration)
        {
            hidden = mlp2.forward(trunk);                                                         // [N, M, L, latent]
        }
        else
        {
            // One row per rank slot: [N, M, L, r, latent], told apart by position.
            var slots = trunk.unsqueeze(-2).expand(-1, -1, -1, rank, -1);
            hidden = mlp2.forward(Architecture.LearnablePositionEmbedding
                ? slots.add(PositionEmbedding(trace))
                : RotaryRankPositions.Apply(slots));
        }

        trace?.Invoke("mlp2", hidden);
        var headInput = mlp3.forward(hidden);
        trace?.Invoke("mlp3", headInput);

        var factors = new List<(Tensor A, Tensor B)>(TargetModules.Count);
        for (var i = 0; i < TargetModules.Count; i++)
        {
            var module = TargetModules[i];
            var head = heads[module.Name];
            var output = Project(headInput.select(1, i), head.weight!, head.bias);
            trace?.Invoke($"heads.{module.Name}", output);
            if (!Architecture.AutoregressiveGeneration)
            {
                // [N, L, r·in + r·out]: A first, then B, each rank-major.
                var a = output.narrow(-1, 0, rank * module.InFeatures).reshape(n, layers, rank, module.InFeatures);
                var b = output.narrow(-1, rank * module.InFeatures, rank * module.OutFeatures).reshape(n, layers, rank, module.OutFeatures);
                factors.Add((a, b));
            }
            else
            {
                // [N, L, r, in + out]: each rank row holds its A row then its B column.
                factors.Add((output.narrow(-1, 0, module.InFeatures), output.narrow(-1, module.InFeatures, module.OutFeatures)));
            }
        }

        return factors;
    }

    /// <summary>M and S sizes: one head per module, asked for A or B by the normalised <c>out_emb</c> selector.</summary>
    private List<(Tensor A, Tensor B)> SharedHeadFactors(Tensor trunk, Action<string, Tensor>? trace)
    {
        var rank = (long)Rank;
        var selectors = out_emb_norm!.forward(stack(TargetModules.Select(m => out_emb![m.Name].Stacked()).ToArray()));   // [M, 2, latent]
        trace?.Invoke("out_emb_norm", selectors);

        // Rows [N, M, 2 (A, B), L, latent]: mlp2(h + LN(out_emb)).
        var hidden = mlp2.forward(trunk.unsqueeze(2).add(selectors.unsqueeze(0).unsqueeze(3)));
        trace?.Invoke("mlp2", hidden);
        if (Architecture.AutoregressiveGeneration)
        {
            var slots = hidden.unsqueeze(-2).expand(-1, -1, -1, -1, rank, -1);                   // [N, M, 2, L, r, latent]
            if (Architecture.LearnablePositionEmbedding)
            {
                // The reference adds mlp2(pos_emb) here (mlp2 applied to the position embeddings, not to the sum).
                var position = mlp2.forward(PositionEmbedding(trace));
                trace?.Invoke("mlp2.positions", position);
                hidden = slots.add(position);
            }
            else
            {
                hidden = mlp2.forward(RotaryRankPositions.Apply(slots));
                trace?.Invoke("mlp2.ranks", hidden);
            }
        }

        var headInput = mlp3.forward(hidden);
        trace?.Invoke("mlp3", headInput);

        var factors = new List<(Tensor A, Tensor B)>(TargetModules.Count);
        for (var i = 0; i < TargetModules.Count; i++)
        {
            var module = TargetModules[i];
            var input = headInput.select(1, i);                                                   // [N, 2, L, (r,) head_in]
            Tensor a, b;
            if (module.InFeatures == module.OutFeatures)
            {
                // A and B use every head output: one GEMM over both selector rows reads the head weight once.
                var both = SharedHeadOutput(module, input, module.InFeatures);                    // [N, 2, L, r, features]
                (a, b) = (both.select(1, 0), both.select(1, 1));
            }
            else
            {
                a = SharedHeadOutput(module, input.select(1, 0), module.InFeatures);
                b = SharedHeadOutput(module, input.select(1, 1), module.OutFeatures);
            }

            trace?.Invoke($"heads.{module.Name}.A", a);
            trace?.Invoke($"heads.{module.Name}.B", b);
            factors.Add((a, b));
        }

        return factors;
    }

    /// <summary>
    /// The shared head's first <paramref name="features"/> outputs of each rank slot, [.., r, features]. The reference
    /// computes all max(in, out) columns and slices; only the needed rows of the head weight are multiplied here.
    /// </summary>
    private Tensor SharedHeadOutput(LoraTargetModule module, Tensor input, long features)
    {
        var head = heads[module.Name];
        var rank = (long)Rank;
        var width = (long)Math.Max(module.InFeatures, module.OutFeatures);
        if (Architecture.AutoregressiveGeneration)
        {
            // input [N, L, r, head_in]; head rows are one rank slot's features.
            var weight = features == width ? head.weight! : head.weight!.narrow(0, 0, features);
            var bias = head.bias is null ? null : features == width ? head.bias : head.bias.narrow(0, 0, features);
            return Project(input, weight, bias);
        }

        long[] leading = input.shape[..^1];
        if (features == width)
        {
            return Project(input, head.weight!, head.bias).view([.. leading, rank, width]);
        }

        // input [.., head_in]; head rows are rank-major [r, max(in, out)]: keep the first `features` of each rank.
        var rows = head.weight!.view(rank, width, -1).narrow(1, 0, features).reshape(rank * features, -1);
        var rowBias = head.bias?.view(rank, width).narrow(1, 0, features).reshape(rank * features);
        return Project(input, rows, rowBias).view([.. leading, rank, features]);
    }

    /// <summary>
    /// <c>input · weightᵀ + bias</c> over the last dimension, computed as <c>(weight · inputᵀ)ᵀ</c>: the heads are very
    /// wide (up to r·(in+out) = 65536 outputs) but see few rows (L per task), and with the wide weight as the left
    /// operand the CPU GEMM splits the work over the outputs; measured 2–3× faster than <c>F.linear</c> for
    /// [32, 512] × [512, 65536] on 2 cores (see docs/benchmarks.md). Returns a transposed view.
    /// </summary>
    private static Tensor Project(Tensor input, Tensor weight, Tensor? bias)
    {
        var rows = input.reshape(-1, input.shape[^1]);
        var product = weight.matmul(rows.t());                                                    // [out, rows]
        if (bias is not null)
        {
            // In place is safe for autograd: matmul's backward does not read its output.
            product.add_(bias.unsqueeze(1));
        }

        long[] shape = [.. input.shape[..^1], weight.shape[0]];
        return product.t().view(shape);
    }

    /// <summary>Learned rank-position embeddings <c>LN(E_pos[0..r-1])</c>, [r, latent].</summary>
    private Tensor PositionEmbedding(Action<string, Tensor>? trace)
    {
        var device = heads[TargetModules[0].Name].weight!.device;
        var position = pos_emb!.forward(arange(Rank, ScalarType.Int64, device));
        trace?.Invoke("pos_emb", position);
        return position;
    }

    /// <summary>The reference's <c>convert_to_raw_scale</c> for one factor tensor [N, L, ..].</summary>
    private Tensor ToRawScale(Tensor value, Tensor mean, Tensor std, Tensor offset)
    {
        if (!Architecture.Factorized)
        {
            // Trained on ΔW scaled by delta_w_scaling = (√s·B)(√s·A): undo the factor on each of A and B.
            return value.div(Math.Sqrt(Architecture.DeltaWScaling));
        }

        var raw = Architecture.PredictZScore ? value.mul(std.add(1e-10)).add(mean) : value.alias();
        return raw.add(offset);
    }

    private long HeadOutputSize(LoraTargetModule module)
    {
        long rank = Rank;
        return (Architecture.SharedABHead, Architecture.AutoregressiveGeneration) switch
        {
            (false, false) => rank * (module.InFeatures + module.OutFeatures),
            (false, true) => module.InFeatures + module.OutFeatures,
            (true, false) => rank * Math.Max(module.InFeatures, module.OutFeatures),
            (true, true) => Math.Max(module.InFeatures, module.OutFeatures),
        };
    }
}
