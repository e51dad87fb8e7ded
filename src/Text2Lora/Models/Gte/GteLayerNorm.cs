using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Text2Lora.Models.Gte;

/// <summary><c>nn.LayerNorm</c> over the last dimension with <c>weight</c> and <c>bias</c>, allocated uninitialised.</summary>
internal sealed class GteLayerNorm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter bias;
    private readonly long _size;
    private readonly double _eps;

    public GteLayerNorm(string name, long size, double eps, ScalarType dtype, Device device)
        : base(name)
    {
        _size = size;
        _eps = eps;
        weight = new Parameter(empty([size], dtype, device), requires_grad: false);
        bias = new Parameter(empty([size], dtype, device), requires_grad: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => nn.functional.layer_norm(input, [_size], weight, bias, _eps);
}
