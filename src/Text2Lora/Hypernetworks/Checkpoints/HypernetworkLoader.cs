using Text2Lora.IO.Hub;
using Text2Lora.Abstractions;
using TorchSharp;
using static TorchSharp.torch;

namespace Text2Lora.Hypernetworks.Checkpoints;

/// <summary>
/// The <see cref="IHypernetworkLoader"/> for T2L checkpoints in either format (see <see cref="HypernetworkCheckpoint"/>),
/// moving the loaded hypernetwork to the requested device. A reference checkpoint whose <c>args.yaml: model_dir</c>
/// names a hub id gets that model's config.json through the hub resolver.
/// </summary>
/// <param name="hub">Resolves hub ids in <c>model_dir</c>; default: a resolver with <see cref="HubOptions.FromEnvironment()"/>.</param>
public sealed class HypernetworkLoader(HubModelResolver? hub = null) : IHypernetworkLoader
{
    private readonly HubModelResolver _hub = hub ?? new HubModelResolver();

    /// <inheritdoc />
    public IHypernetwork Load(string directory, string? baseModelDirectory, Device device, CancellationToken cancellationToken = default) =>
        Load(directory, baseModelDirectory, device, ScalarType.Float32, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// Checkpoints hold float32 weights (a few hundred MB at most, unlike a base model); the float32 network is
    /// converted by <see cref="T2LHypernetwork.ToDType"/> and then freed. Generated adapters stay float32 (PEFT's dtype).
    /// </remarks>
    public IHypernetwork Load(string directory, string? baseModelDirectory, Device device, ScalarType dtype, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(device);
        Models.ModelDType.NameOf(dtype);
        cancellationToken.ThrowIfCancellationRequested();
        var hypernetwork = HypernetworkCheckpoint.Load(directory, baseModelDirectory, _hub);
        try
        {
            if (device.type != TorchSharp.DeviceType.CPU)
            {
                hypernetwork.Module.MoveTo(device);
            }

            if (dtype != ScalarType.Float32)
            {
                var converted = hypernetwork.ToDType(dtype);
                hypernetwork.Dispose();
                return converted;
            }
        }
        catch
        {
            hypernetwork.Dispose();
            throw;
        }

        return hypernetwork;
    }
}
