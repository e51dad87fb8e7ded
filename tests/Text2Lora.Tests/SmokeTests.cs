using TorchSharp;
using Xunit;
public class SmokeTests
{
    [Fact]
    public void Tensor_Works()
    {
        using var t = torch.ones(2, 3);
        Assert.Equal(6f, t.sum().item<float>());
    }
}
