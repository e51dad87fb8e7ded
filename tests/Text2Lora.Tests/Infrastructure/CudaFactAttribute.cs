using Text2Lora.Runtime;

namespace Text2Lora.Tests.Infrastructure;

/// <summary>
/// A fact that needs a CUDA device: skipped with the reason "CUDA is not available" unless the CUDA backend package is
/// deployed with the tests and a device answers. Put <c>[Trait("Category", "Cuda")]</c> on its class so
/// <c>--filter Category=Cuda</c> selects these tests (see README, "Devices and precision").
/// </summary>
public sealed class CudaFactAttribute : FactAttribute
{
    /// <summary>The skip reason where CUDA is absent.</summary>
    public const string NotAvailable = "CUDA is not available";

    public CudaFactAttribute()
    {
        if (!CudaAvailability.IsAvailable)
        {
            Skip = NotAvailable;
        }
    }
}

/// <summary>Whether this test process can use CUDA, probed once.</summary>
internal static class CudaAvailability
{
    private static readonly Lazy<bool> Probe = new(() =>
    {
        // Without the CUDA backend next to the tests, asking libtorch would only fail: do not touch it at all then.
        if (!TorchRuntime.CudaBackendDeployed())
        {
            return false;
        }

        try
        {
            TorchRuntime.EnsureAvailable(new TorchSharp.torch.Device(TorchSharp.DeviceType.CUDA));
            return true;
        }
        catch (NativeBackendUnavailableException)
        {
            return false;
        }
    });

    public static bool IsAvailable => Probe.Value;
}
