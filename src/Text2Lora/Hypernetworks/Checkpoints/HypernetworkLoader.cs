using Text2Lora.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace Text2Lora.Hypernetworks.Checkpoints;

/// <summary>
/// The <see cref="IHypernetworkLoader"/> for T2L checkpoints in either format (see <see cref="HypernetworkCheckpoint"/>),
/// moving the loaded hypernetwork to the requested device.
/// </summary>
public sealed class HypernetworkLoader : IHypernetworkLoader
{
    /// <inheritdoc />
    public IHypernetwork Load(string directory, string? baseModelDirectory, Device device, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(device);
        cancellationToken.ThrowIfCancellationRequested();
        var hypernetwork = HypernetworkCheckpoint.Load(directory, baseModelDirectory);
        if (device.type != TorchSharp.DeviceType.CPU)
        {
            hypernetwork.Module.to(device);
        }

        return hypernetwork;
    }
}
