using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Text2Lora.Runtime;

/// <summary>
/// Checks that TorchSharp's native backend can load and, when it cannot, explains why
/// (TorchSharp's own message blames a missing package even when the C++ runtime is the cause).
/// </summary>
public static class TorchRuntime
{
    /// <summary>The libstdc++ symbol version TorchSharp 0.107's <c>libLibTorchSharp.so</c> links against.</summary>
    public const string RequiredGlibcxxVersion = "GLIBCXX_3.4.32";

    /// <summary>The repository script that installs that runtime on Debian 12.</summary>
    public const string FixScript = "eng/install-native-prereqs.sh";

    /// <summary>The TorchSharp version the backend packages must match.</summary>
    public const string TorchSharpVersion = "0.107.0";

    /// <summary>The CPU backend package.</summary>
    public const string CpuPackage = "TorchSharp-cpu";

    /// <summary>The CUDA backend package for Linux.</summary>
    public const string CudaLinuxPackage = "TorchSharp-cuda-linux";

    /// <summary>The CUDA backend package for Windows.</summary>
    public const string CudaWindowsPackage = "TorchSharp-cuda-windows";

    private static readonly Lock Gate = new();
    private static bool _available;
    private static bool _cudaAvailable;

    /// <summary>
    /// Makes <paramref name="device"/> usable: for a CUDA device, loads the CUDA backend <em>before</em> any other
    /// libtorch work (TorchSharp issue #1198: autograd run before <c>libtorch_cuda</c> loads disables CUDA for the
    /// process) and checks the device index; then the checks of <see cref="EnsureAvailable()"/>. Call it first
    /// thing when a device is chosen. Cheap after the first successful call.
    /// </summary>
    /// <exception cref="NativeBackendUnavailableException">
    /// No backend can load, or CUDA was asked for and the CUDA backend or a CUDA device is absent; the message names
    /// the package to reference (<see cref="CudaLinuxPackage"/>/<see cref="CudaWindowsPackage"/> <see cref="TorchSharpVersion"/>).
    /// </exception>
    /// <exception cref="ArgumentException"><c>cuda:N</c> names a device the machine does not have.</exception>
    public static void EnsureAvailable(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (device.type == DeviceType.CUDA)
        {
            EnsureCuda();
            var count = torch.cuda.device_count();
            if (device.index >= count)
            {
                throw new ArgumentException($"device 'cuda:{device.index}' does not exist: this machine has {count} CUDA device(s) (cuda:0 to cuda:{count - 1}).", nameof(device));
            }
        }
        else if (device.type != DeviceType.CPU)
        {
            throw new ArgumentException($"device '{device}' is not supported; use cpu, cuda or cuda:N.", nameof(device));
        }

        EnsureAvailable();
    }

    private static void EnsureCuda()
    {
        if (Volatile.Read(ref _cudaAvailable))
        {
            return;
        }

        lock (Gate)
        {
            if (_cudaAvailable)
            {
                return;
            }

            Exception? failure = null;
            var loaded = false;
            try
            {
                loaded = torch.TryInitializeDeviceType(DeviceType.CUDA) && torch.cuda.is_available();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                failure = ex;
            }

            if (!loaded)
            {
                throw CudaUnavailable(failure);
            }

            Volatile.Write(ref _cudaAvailable, true);
        }
    }

    /// <summary>The error for a CUDA device asked for on a process without a loadable CUDA backend or device.</summary>
    internal static NativeBackendUnavailableException CudaUnavailable(Exception? failure) => new(
        $"CUDA was requested but is not available: reference the package '{CudaPackageForThisOs}' version {TorchSharpVersion} " +
        $"in the application project instead of '{CpuPackage}' (on the other OS: '{(OperatingSystem.IsWindows() ? CudaLinuxPackage : CudaWindowsPackage)}'), " +
        "and check that an NVIDIA driver and GPU are visible (nvidia-smi); or run with device 'cpu'.",
        NativeBackendProblem.CudaUnavailable,
        failure);

    /// <summary>
    /// Whether a CUDA build of libtorch (<c>libtorch_cuda.so</c> / <c>torch_cuda.dll</c>, shipped by the CUDA backend
    /// packages) is deployed with the application; a file check that loads nothing.
    /// </summary>
    internal static bool CudaBackendDeployed() =>
        NativeLibraryProbe.NativeSearchDirectories().Where(Directory.Exists)
            .Any(dir => File.Exists(Path.Combine(dir, "libtorch_cuda.so")) || File.Exists(Path.Combine(dir, "torch_cuda.dll")));

    /// <summary>The CUDA backend package of the running OS.</summary>
    internal static string CudaPackageForThisOs => OperatingSystem.IsWindows() ? CudaWindowsPackage : CudaLinuxPackage;

    /// <summary>
    /// Loads the CPU backend once; throws <see cref="NativeBackendUnavailableException"/> with the
    /// diagnosed cause if it cannot. Cheap after the first successful call.
    /// </summary>
    public static void EnsureAvailable()
    {
        if (Volatile.Read(ref _available))
        {
            return;
        }

        lock (Gate)
        {
            if (_available)
            {
                return;
            }

            Exception? failure = null;
            try
            {
                if (torch.TryInitializeDeviceType(DeviceType.CPU))
                {
                    Volatile.Write(ref _available, true);
                    return;
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                failure = ex;
            }

            throw Diagnose(NativeLibraryProbe.ForCurrentProcess(), failure);
        }
    }

    /// <summary>libtorch's own library, which every backend package (CPU or CUDA) deploys beside the shim.</summary>
    private static readonly string[] LibTorchNames = ["libtorch_cpu.so", "torch_cpu.dll", "libtorch_cpu.dylib"];

    /// <summary>Whether libtorch lies next to the shim at <paramref name="shimPath"/>.</summary>
    internal static bool LibTorchBeside(string shimPath) =>
        LibTorchNames.Any(name => File.Exists(Path.Combine(Path.GetDirectoryName(shimPath)!, name)));

    /// <summary>Turns what the probe found into an actionable exception.</summary>
    internal static NativeBackendUnavailableException Diagnose(NativeLibraryProbe probe, Exception? failure)
    {
        // The managed TorchSharp package ships the shim (libLibTorchSharp) itself; libtorch comes only with a backend package.
        if (probe.ShimPath is null || !LibTorchBeside(probe.ShimPath))
        {
            return new NativeBackendUnavailableException(
                "TorchSharp's native backend is not deployed with this application (libtorch was not found next to TorchSharp's native shim). " +
                $"Reference a backend package version {TorchSharpVersion} in the application project: '{CpuPackage}' for CPU, " +
                $"'{CudaLinuxPackage}' or '{CudaWindowsPackage}' for CUDA.",
                NativeBackendProblem.BackendPackageMissing,
                failure);
        }

        if (probe.IsLinux && probe.CppRuntimePath is not null && !probe.CppRuntimeHasRequiredVersion)
        {
            return new NativeBackendUnavailableException(
                $"TorchSharp's native shim ({probe.ShimPath}) needs a C++ runtime exporting {RequiredGlibcxxVersion} (GCC 13.2 or newer), " +
                $"but the loader's libstdc++ ({probe.CppRuntimePath}) does not provide it. On Debian 12 run 'sudo bash {FixScript}' " +
                "from the Text2Lora repository; elsewhere use Ubuntu 24.04, Debian 13, Fedora 39 or newer.",
                NativeBackendProblem.CppRuntimeTooOld,
                failure);
        }

        return new NativeBackendUnavailableException(
            $"TorchSharp's native backend at {probe.ShimPath} failed to load: {probe.LoadError ?? failure?.Message ?? "unknown error"}.",
            NativeBackendProblem.LoadFailed,
            failure);
    }
}

/// <summary>What a look at the file system and the dynamic loader says about the native backend.</summary>
internal sealed record NativeLibraryProbe(bool IsLinux, string? ShimPath, string? CppRuntimePath, bool CppRuntimeHasRequiredVersion, string? LoadError)
{
    private static readonly string[] ShimNames = ["libLibTorchSharp.so", "LibTorchSharp.dll", "libLibTorchSharp.dylib"];

    /// <summary>Probes the directories the application loads natives from.</summary>
    public static NativeLibraryProbe ForCurrentProcess() =>
        Probe(NativeSearchDirectories(), FindLoaderLibstdcxx());

    /// <summary>Probes the given directories and C++ runtime file (separate so tests can point it at fakes).</summary>
    public static NativeLibraryProbe Probe(IEnumerable<string> searchDirectories, string? cppRuntimePath)
    {
        var shim = searchDirectories
            .Where(Directory.Exists)
            .SelectMany(dir => ShimNames.Select(name => Path.Combine(dir, name)))
            .FirstOrDefault(File.Exists);

        var isLinux = OperatingSystem.IsLinux();
        var hasVersion = cppRuntimePath is not null && FileContainsAscii(cppRuntimePath, TorchRuntime.RequiredGlibcxxVersion);

        string? loadError = null;
        if (shim is not null && !NativeLibrary.TryLoad(shim, out _))
        {
            loadError = "the dynamic loader refused the library (check its dependencies with ldd)";
        }

        return new NativeLibraryProbe(isLinux, shim, cppRuntimePath, hasVersion, loadError);
    }

    internal static IEnumerable<string> NativeSearchDirectories()
    {
        var baseDir = AppContext.BaseDirectory;
        yield return baseDir;
        yield return Path.Combine(baseDir, "runtimes", RuntimeInformation.RuntimeIdentifier, "native");
        yield return Path.Combine(baseDir, "runtimes", OperatingSystem.IsLinux() ? "linux-x64" : "win-x64", "native");
        if (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") is string dirs)
        {
            foreach (var dir in dirs.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                yield return dir;
            }
        }
    }

    /// <summary>The libstdc++ the dynamic loader would pick (first hit of the usual multiarch paths).</summary>
    private static string? FindLoaderLibstdcxx()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        string[] candidates =
        [
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
            "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6",
            "/usr/lib/libstdc++.so.6",
            "/lib/x86_64-linux-gnu/libstdc++.so.6",
        ];
        var fromEnv = Environment.GetEnvironmentVariable("LD_LIBRARY_PATH")?
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, "libstdc++.so.6")) ?? [];
        return fromEnv.Concat(candidates).FirstOrDefault(File.Exists);
    }

    /// <summary>Streams the file looking for an ASCII marker (symbol version strings are stored verbatim in .gnu.version_d).</summary>
    internal static bool FileContainsAscii(string path, string marker)
    {
        var needle = System.Text.Encoding.ASCII.GetBytes(marker);
        using var stream = File.OpenRead(path);
        var buffer = new byte[1 << 16];
        var carry = 0;
        int read;
        while ((read = stream.Read(buffer, carry, buffer.Length - carry)) > 0)
        {
            var span = buffer.AsSpan(0, carry + read);
            if (span.IndexOf(needle) >= 0)
            {
                return true;
            }

            carry = Math.Min(needle.Length - 1, span.Length);
            span[^carry..].CopyTo(buffer);
        }

        return false;
    }
}
