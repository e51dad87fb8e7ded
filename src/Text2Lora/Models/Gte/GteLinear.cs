using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Text2Lora.Models.Gte;

/// <summary>
/// A linear layer with <c>weight</c> [out, in] and optional <c>bias</c> (the state-dict keys of <c>nn.Linear</c>),
/// allocated uninitialised: the checkpoint fills it. Wide layers (the packed <c>qkv_proj</c>, <c>up_gate_proj</c>)
/// run as one matmul per block of <see cref="OutputBlock"/> output features (views of the weight, outputs
/// concatenated): each output is the same dot product, but the CPU GEMM is faster on narrow blocks
/// (docs/benchmarks.md, "gte encoder": <c>up_gate_proj</c> at 32 tokens uses ≈ 1.5× less CPU time in blocks of 1024).
/// </summary>
internal sealed class GteLinear : nn.Module<Tensor, Tensor>
{
    /// <summary>Output features per matmul.</summary>
    internal const long OutputBlock = 1024;

    private readonly Parameter weight;
    private readonly Parameter? bias;
    private readonly long _outFeatures;

    public GteLinear(string name, long inFeatures, long outFeatures, bool hasBias, ScalarType dtype, Device device)
        : base(name)
    {
        _outFeatures = outFeatures;
        weight = new Parameter(empty([outFeatures, inFeatures], dtype, device), requires_grad: false);
        bias = hasBias ? new Parameter(empty([outFeatures], dtype, device), requires_grad: false) : null;
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        if (_outFeatures <= OutputBlock || input.device.type != DeviceType.CPU)
        {
            return nn.functional.linear(input, weight, bias);
        }

        using var scope = NewDisposeScope();
        var blocks = new List<Tensor>();
        for (var start = 0L; start < _outFeatures; start += OutputBlock)
        {
            var size = Math.Min(OutputBlock, _outFeatures - start);
            blocks.Add(nn.functional.linear(input, weight.narrow(0, start, size), bias?.narrow(0, start, size)));
        }

        return cat(blocks, -1).MoveToOuterDisposeScope();
    }
}
