using Text2Lora.Runtime;
using TorchSharp;

namespace Text2Lora.Tests.Devices;

/// <summary>Device names as options, config files and the command line give them (parsing loads no native code).</summary>
public sealed class ComputeDeviceTests
{
    [Theory]
    [InlineData("cpu", DeviceType.CPU, -1)]
    [InlineData(" CPU ", DeviceType.CPU, -1)]
    [InlineData("cuda", DeviceType.CUDA, -1)]
    [InlineData("cuda:0", DeviceType.CUDA, 0)]
    [InlineData("Cuda:3", DeviceType.CUDA, 3)]
    public void Accepted_names_parse_to_type_and_index(string name, DeviceType type, int index)
    {
        Assert.True(ComputeDevice.TryParse(name, out var device));
        Assert.Equal(type, device.type);
        Assert.Equal(index, device.index);
        Assert.Equal(type, ComputeDevice.Parse(name).type);
    }

    [Theory]
    [InlineData("")]
    [InlineData("gpu")]
    [InlineData("cuda:")]
    [InlineData("cuda:-1")]
    [InlineData("cuda:+1")]
    [InlineData("cuda:1x")]
    [InlineData("cuda:99999999999")]
    [InlineData("mps")]
    [InlineData("cpu:0")]
    public void Other_names_are_refused_with_the_syntax(string name)
    {
        Assert.False(ComputeDevice.TryParse(name, out _));
        var ex = Assert.Throws<ArgumentException>(() => ComputeDevice.Parse(name));
        Assert.Contains(ComputeDevice.Syntax, ex.Message, StringComparison.Ordinal);
        Assert.Contains($"'{name}'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_is_refused()
    {
        Assert.False(ComputeDevice.TryParse(null, out _));
    }
}
