using TorchSharp;
using Text2Lora.Lora;
using static TorchSharp.torch;

namespace Text2Lora.Models.Llama;

/// <summary>The gated MLP of every Llama-family layer: <c>down(act(gate(x)) · up(x))</c>.</summary>
internal sealed class GatedMlp : nn.Module<Tensor, ActiveAdapters?, Tensor>
{
    private readonly LoraLinear gate_proj;
    private readonly LoraLinear up_proj;
    private readonly LoraLinear down_proj;
    private readonly HiddenActivation _activation;

    public GatedMlp(string prefix, LlamaFamilyConfig config, ScalarType dtype, Device device)
        : base("mlp")
    {
        _activation = config.HiddenActivation;
        gate_proj = new LoraLinear(prefix + "gate_proj", config.HiddenSize, config.IntermediateSize, config.MlpBias, dtype, device);
        up_proj = new LoraLinear(prefix + "up_proj", config.HiddenSize, config.IntermediateSize, config.MlpBias, dtype, device);
        down_proj = new LoraLinear(prefix + "down_proj", config.IntermediateSize, config.HiddenSize, config.MlpBias, dtype, device);
        RegisterComponents();
    }

    /// <summary>The MLP's output, with the low-rank updates of <paramref name="adapters"/> on its projections (null: none).</summary>
    public override Tensor forward(Tensor input, ActiveAdapters? adapters)
    {
        using var scope = NewDisposeScope();
        var gate = gate_proj.call(input, adapters);
        var activated = _activation switch
        {
            HiddenActivation.Silu => nn.functional.silu(gate),
            HiddenActivation.GeluTanh => nn.functional.gelu(gate, TorchSharp.Modules.GELU.Approximate.tanh),
            _ => nn.functional.gelu(gate),
        };
        var hidden = activated.mul(up_proj.call(input, adapters));
        return down_proj.call(hidden, adapters).MoveToOuterDisposeScope();
    }
}
