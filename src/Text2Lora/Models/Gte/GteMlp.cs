using TorchSharp;
using static TorchSharp.torch;

namespace Text2Lora.Models.Gte;

/// <summary>
/// <c>mlp</c> (new-impl <c>NewGatedMLP</c>): <c>up_gate_proj</c> (no bias) gives [up | gate] — the <b>first</b>
/// <c>intermediate_size</c> outputs are up, the second gate — then <c>down_proj(act(gate) · up)</c>.
/// </summary>
internal sealed class GteMlp : nn.Module<Tensor, Tensor>
{
    private readonly GteLinear up_gate_proj;
    private readonly GteLinear down_proj;
    private readonly long _intermediate;
    private readonly string _activation;

    public GteMlp(GteConfig config, ScalarType dtype, Device device)
        : base("mlp")
    {
        _intermediate = config.IntermediateSize;
        _activation = config.HiddenAct;
        up_gate_proj = new GteLinear("up_gate_proj", config.HiddenSize, 2L * config.IntermediateSize, false, dtype, device);
        down_proj = new GteLinear("down_proj", config.IntermediateSize, config.HiddenSize, true, dtype, device);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var upGate = up_gate_proj.call(input);
        var up = upGate.narrow(-1, 0, _intermediate);
        var gate = upGate.narrow(-1, _intermediate, _intermediate);
        var activated = _activation switch
        {
            "relu" => nn.functional.relu(gate),
            "silu" or "swish" => nn.functional.silu(gate),
            _ => nn.functional.gelu(gate), // "gelu": PyTorch's exact erf GELU (not the tanh approximation)
        };
        return down_proj.call(activated.mul_(up)).MoveToOuterDisposeScope();
    }
}
