using Text2Lora.Models.Gte;
using Text2Lora.Tests.Hypernetworks;
using Text2Lora.Tests.Infrastructure;
using static TorchSharp.torch;

namespace Text2Lora.Tests.Models.Gte;

/// <summary>
/// <see cref="GteLinear"/> runs layers wider than <see cref="GteLinear.OutputBlock"/> outputs as one matmul per block
/// (a speed measure); the result must still be <c>x·Wᵀ + b</c>, checked against a float64 matmul of the same weights.
/// </summary>
[Collection(nameof(NativeMemoryCollection))]
public sealed class GteLinearTests
{
    // Each output is a float32 dot product of 64 terms of size ~1 (|x|, |w| ~ N(0, 1)): rounding ~1e-6 relative to
    // the ~8-sized outputs, so 1e-5 has margin and still catches any misplaced block (errors of order 1).
    private const double Tolerance = 1e-5;

    [Theory]
    [InlineData(2500L, true)] // two full blocks and a partial one, with bias
    [InlineData(3072L, false)] // three full blocks (the packed qkv width), no bias
    [InlineData(1000L, true)] // one matmul
    public void Wide_layers_computed_in_blocks_equal_the_plain_product(long outFeatures, bool hasBias)
    {
        const long InFeatures = 64;
        using var scope = NewDisposeScope();
        using var linear = new GteLinear("probe", InFeatures, outFeatures, hasBias, ScalarType.Float32, CPU);
        using var generator = new Generator(5);
        var weight = randn([outFeatures, InFeatures], generator: generator);
        var bias = randn([outFeatures], generator: generator);
        using (no_grad())
        {
            foreach (var (name, parameter) in linear.named_parameters())
            {
                parameter.copy_(name == "weight" ? weight : bias);
            }
        }

        var input = randn([2, 3, InFeatures], generator: generator);
        var expected = matmul(input.to(ScalarType.Float64), weight.to(ScalarType.Float64).t());
        if (hasBias)
        {
            expected = expected.add(bias.to(ScalarType.Float64));
        }

        var actual = linear.call(input);
        Assert.Equal([2L, 3L, outFeatures], actual.shape);
        TensorAssert.Close(expected.to(ScalarType.Float32), actual, Tolerance);
    }
}
