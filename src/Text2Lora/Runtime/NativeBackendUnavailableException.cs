namespace Text2Lora.Runtime;

/// <summary>
/// Thrown when TorchSharp's native backend (libtorch and the LibTorchSharp shim) cannot be loaded.
/// The message says what is missing and how to fix it.
/// </summary>
public sealed class NativeBackendUnavailableException : InvalidOperationException
{
    /// <summary>Creates the exception with an actionable message.</summary>
    public NativeBackendUnavailableException(string message, NativeBackendProblem problem, Exception? innerException = null)
        : base(message, innerException)
    {
        Problem = problem;
    }

    /// <summary>What the probe found to be wrong.</summary>
    public NativeBackendProblem Problem { get; }
}

/// <summary>The cause found when probing a native backend that failed to load.</summary>
public enum NativeBackendProblem
{
    /// <summary>No native backend package (e.g. <c>TorchSharp-cpu</c>) is deployed with the application.</summary>
    BackendPackageMissing,

    /// <summary>The C++ runtime lacks the <c>GLIBCXX_3.4.32</c> symbol version that TorchSharp 0.107's shim needs.</summary>
    CppRuntimeTooOld,

    /// <summary>The backend is present and the C++ runtime is recent enough, yet loading failed.</summary>
    LoadFailed,

    /// <summary>A CUDA device was asked for, but the CUDA backend package is not deployed or no CUDA device is visible.</summary>
    CudaUnavailable,
}
