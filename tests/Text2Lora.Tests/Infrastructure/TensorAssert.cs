using static TorchSharp.torch;

namespace Text2Lora.Tests.Infrastructure;

internal static class TensorAssert
{
    /// <summary>Same dtype, same shape, same bytes (stronger than value equality: distinguishes -0/+0 and NaN payloads).</summary>
    public static void BitEqual(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.dtype, actual.dtype);
        Assert.Equal(expected.shape, actual.shape);
        using var e = expected.cpu().contiguous();
        using var a = actual.cpu().contiguous();
        Assert.True(e.bytes.SequenceEqual(a.bytes), "tensor bytes differ");
    }

    /// <summary>Max |expected - actual| ≤ atol, reporting the observed difference.</summary>
    public static void Close(Tensor expected, Tensor actual, double atol)
    {
        Assert.Equal(expected.shape, actual.shape);
        using var diff = (expected.to_type(ScalarType.Float64) - actual.to_type(ScalarType.Float64)).abs().max();
        var max = diff.item<double>();
        Assert.True(max <= atol, $"max abs difference {max:G4} exceeds {atol:G4}");
    }
}
