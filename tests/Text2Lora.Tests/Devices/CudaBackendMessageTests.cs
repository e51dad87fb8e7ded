using Text2Lora.Runtime;

namespace Text2Lora.Tests.Devices;

/// <summary>What a user without the right backend package is told (the check itself runs in <c>t2l</c>, see <see cref="DeviceOptionsCliTests"/>).</summary>
public sealed class CudaBackendMessageTests
{
    [Fact]
    public void Cuda_unavailable_names_the_cuda_packages_and_their_version()
    {
        var ex = TorchRuntime.CudaUnavailable(failure: null);

        Assert.Equal(NativeBackendProblem.CudaUnavailable, ex.Problem);
        Assert.Contains(OperatingSystem.IsWindows() ? "'TorchSharp-cuda-windows' version 0.107.0" : "'TorchSharp-cuda-linux' version 0.107.0", ex.Message, StringComparison.Ordinal);
        Assert.Contains("TorchSharp-cuda-windows", ex.Message, StringComparison.Ordinal);
        Assert.Contains("TorchSharp-cpu", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_backend_names_every_backend_package_and_the_version()
    {
        using var empty = new Infrastructure.TempDirectory();
        var ex = TorchRuntime.Diagnose(NativeLibraryProbe.Probe([empty.Path], cppRuntimePath: null), failure: null);

        foreach (var package in new[] { "'TorchSharp-cpu'", "'TorchSharp-cuda-linux'", "'TorchSharp-cuda-windows'", "version 0.107.0" })
        {
            Assert.Contains(package, ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_named_version_is_the_referenced_TorchSharp()
    {
        var version = typeof(TorchSharp.torch).Assembly.GetName().Version!;
        Assert.Equal(TorchRuntime.TorchSharpVersion, $"{version.Major}.{version.Minor}.{version.Build}");
    }
}
