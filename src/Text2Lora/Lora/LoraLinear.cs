using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Text2Lora.Lora;

/// <summary>
/// A frozen linear layer <c>y = x Wᵀ + b</c> that adds LoRA at runtime (PEFT <c>lora/layer.py</c>):
/// <c>y + s · (x Aᵀ) Bᵀ</c> with the factors chosen per call, or an adapter merged into <c>W</c> and unmerged again.
/// Parameters are named <c>weight</c> / <c>bias</c> like <c>nn.Linear</c>, so HF checkpoints load without renaming.
/// </summary>
internal sealed class LoraLinear : nn.Module<Tensor, ActiveAdapters?, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter? bias;

    public LoraLinear(string path, long inFeatures, long outFeatures, bool hasBias, ScalarType dtype, Device device)
        : base(path[(path.LastIndexOf('.') + 1)..])
    {
        Path = path;
        InFeatures = inFeatures;
        OutFeatures = outFeatures;

        // Uninitialised storage: the loader overwrites it, so no time or resident memory goes to a throw-away init.
        weight = new Parameter(empty([outFeatures, inFeatures], dtype, device), requires_grad: false);
        bias = hasBias ? new Parameter(empty([outFeatures], dtype, device), requires_grad: false) : null;
        RegisterComponents();
    }

    /// <summary>Module path in the model (<c>model.layers.0.self_attn.q_proj</c>), the key adapters use.</summary>
    public string Path { get; }

    public long InFeatures { get; }

    public long OutFeatures { get; }

    /// <summary>The base weight [out, in] (the parameter itself; do not dispose).</summary>
    public Tensor Weight => weight;

    /// <summary>Base output plus the low-rank update of this module's factors in <paramref name="adapters"/>, if any (null: base output only).</summary>
    public override Tensor forward(Tensor input, ActiveAdapters? adapters)
    {
        var lora = adapters?.For(Path);
        if (lora is null)
        {
            return nn.functional.linear(input, weight, bias);
        }

        using var scope = NewDisposeScope();
        var result = nn.functional.linear(input, weight, bias).add(lora.Delta(input));
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>Adds (<paramref name="sign"/> = 1) or removes (-1) <c>s · B · A</c> to the weight in place.</summary>
    public void AddDelta(LoraWeights lora, int sign)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();

        // Computed in float32 and cast once, so merge followed by unmerge returns to the original weight up to rounding.
        var delta = lora.B.to(ScalarType.Float32, weight.device).matmul(lora.A.to(ScalarType.Float32, weight.device)).mul(lora.Scaling * sign);
        if (weight.dtype == ScalarType.Float32)
        {
            weight.add_(delta);
        }
        else
        {
            weight.copy_(weight.to(ScalarType.Float32).add_(delta));
        }
    }
}
