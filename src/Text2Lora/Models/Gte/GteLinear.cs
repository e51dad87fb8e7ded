using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Text2Lora.Models.Gte;

/// <summary>A linear layer with <c>weight</c> [out, in] and optional <c>bias</c> (the state-dict keys of <c>nn.Linear</c>), allocated uninitialised: the checkpoint fills it.</summary>
internal sealed class GteLinear : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter? bias;

    public GteLinear(string name, long inFeatures, long outFeatures, bool hasBias, ScalarType dtype, Device device)
        : base(name)
    {
        weight = new Parameter(empty([outFeatures, inFeatures], dtype, device), requires_grad: false);
        bias = hasBias ? new Parameter(empty([outFeatures], dtype, device), requires_grad: false) : null;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => nn.functional.linear(input, weight, bias);
}
