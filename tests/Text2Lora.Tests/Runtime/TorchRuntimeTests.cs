using Text2Lora.Runtime;
using Text2Lora.Tests.Infrastructure;

namespace Text2Lora.Tests.Runtime;

[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class TorchRuntimeTests
{
    [Fact]
    public void Backend_loads_on_a_prepared_machine()
    {
        // CI runs eng/install-native-prereqs.sh first, so the real probe must succeed here.
        TorchRuntime.EnsureAvailable();
        using var t = TorchSharp.torch.ones(3);
        Assert.Equal(3f, t.sum().item<float>());
    }

    [Fact]
    public void Probe_of_the_real_deployment_finds_the_shim_and_a_recent_cpp_runtime()
    {
        var probe = NativeLibraryProbe.ForCurrentProcess();
        Assert.NotNull(probe.ShimPath);
        if (OperatingSystem.IsLinux())
        {
            Assert.True(probe.CppRuntimeHasRequiredVersion, $"{probe.CppRuntimePath} lacks {TorchRuntime.RequiredGlibcxxVersion}");
        }
    }

    [Fact]
    public void Missing_backend_package_is_diagnosed()
    {
        using var empty = new TempDirectory();
        var probe = NativeLibraryProbe.Probe([empty.Path], cppRuntimePath: null);

        var ex = TorchRuntime.Diagnose(probe, failure: null);

        Assert.Equal(NativeBackendProblem.BackendPackageMissing, ex.Problem);
        Assert.Contains("TorchSharp-cpu", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Shim_without_libtorch_is_a_missing_backend_package()
    {
        // What an app referencing only TorchSharp (no backend package) deploys: the shim from the managed package, no libtorch.
        using var deployment = new TempDirectory();
        File.WriteAllText(deployment.File("libLibTorchSharp.so"), "not an ELF file");

        var ex = TorchRuntime.Diagnose(NativeLibraryProbe.Probe([deployment.Path], cppRuntimePath: null), failure: null);

        Assert.Equal(NativeBackendProblem.BackendPackageMissing, ex.Problem);
        Assert.Contains("TorchSharp-cpu", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Old_cpp_runtime_is_diagnosed_with_the_symbol_and_the_fix()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // the GLIBCXX diagnosis only applies to Linux
        }

        // A deployment with a shim that will not load, beside a C++ runtime that stops at GCC 12's GLIBCXX_3.4.30.
        using var deployment = new TempDirectory();
        File.WriteAllText(deployment.File("libLibTorchSharp.so"), "not an ELF file");
        File.WriteAllText(deployment.File("libtorch_cpu.so"), "libtorch, as a backend package deploys it");
        var oldRuntime = deployment.File("libstdc++.so.6");
        File.WriteAllText(oldRuntime, "GLIBCXX_3.4.29\0GLIBCXX_3.4.30\0");

        var probe = NativeLibraryProbe.Probe([deployment.Path], oldRuntime);
        var ex = TorchRuntime.Diagnose(probe, failure: null);

        Assert.Equal(NativeBackendProblem.CppRuntimeTooOld, ex.Problem);
        Assert.Contains("GLIBCXX_3.4.32", ex.Message, StringComparison.Ordinal);
        Assert.Contains(TorchRuntime.FixScript, ex.Message, StringComparison.Ordinal);
        Assert.NotNull(probe.LoadError);
    }

    [Fact]
    public void Recent_runtime_with_unloadable_shim_reports_a_load_failure()
    {
        using var deployment = new TempDirectory();
        File.WriteAllText(deployment.File("libLibTorchSharp.so"), "not an ELF file");
        File.WriteAllText(deployment.File("libtorch_cpu.so"), "libtorch, as a backend package deploys it");
        var runtime = deployment.File("libstdc++.so.6");
        File.WriteAllText(runtime, "GLIBCXX_3.4.31\0GLIBCXX_3.4.32\0");

        var ex = TorchRuntime.Diagnose(NativeLibraryProbe.Probe([deployment.Path], runtime), failure: null);

        Assert.Equal(NativeBackendProblem.LoadFailed, ex.Problem);
        Assert.Contains(deployment.Path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Marker_search_finds_strings_across_buffer_boundaries()
    {
        using var dir = new TempDirectory();
        var path = dir.File("big.bin");
        var bytes = new byte[(1 << 16) + 100];
        var marker = System.Text.Encoding.ASCII.GetBytes(TorchRuntime.RequiredGlibcxxVersion);
        marker.CopyTo(bytes, (1 << 16) - 5); // straddles the 64 KiB read boundary
        File.WriteAllBytes(path, bytes);

        Assert.True(NativeLibraryProbe.FileContainsAscii(path, TorchRuntime.RequiredGlibcxxVersion));
        File.WriteAllBytes(path, new byte[1 << 17]);
        Assert.False(NativeLibraryProbe.FileContainsAscii(path, TorchRuntime.RequiredGlibcxxVersion));
    }
}
