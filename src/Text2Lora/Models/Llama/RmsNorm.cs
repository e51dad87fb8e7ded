using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Text2Lora.Models.Llama;

/// <summary>
/// RMSNorm computed in float32: <c>x / sqrt(mean(x²) + eps)</c>, then scaled by <c>w</c> after casting back to the
/// input dtype (Llama), or by <c>(1 + w)</c> before casting (Gemma; HF transformers PR 29402).
/// </summary>
internal sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly double _eps;
    private readonly bool _plusOne;

    public RmsNorm(string name, long size, double eps, bool plusOne, ScalarType dtype, Device device)
        : base(name)
    {
        _eps = eps;
        _plusOne = plusOne;
        weight = new Parameter(empty([size], dtype, device), requires_grad: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input.to_type(ScalarType.Float32);
        var normed = x.mul(x.square().mean([-1L], keepdim: true).add_(_eps).rsqrt_());
        var result = _plusOne
            ? normed.mul(weight.to_type(ScalarType.Float32).add(1.0)).to_type(input.dtype)
            : weight.mul(normed.to_type(input.dtype));
        return result.MoveToOuterDisposeScope();
    }
}
