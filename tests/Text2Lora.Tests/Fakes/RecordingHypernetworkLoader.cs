using Text2Lora.Abstractions;
using static TorchSharp.torch;

namespace Text2Lora.Tests.Fakes;

/// <summary>TEST FAKE loader: returns a <see cref="LinearFakeHypernetwork"/> and records what it was asked to load.</summary>
internal sealed class RecordingHypernetworkLoader(int taskEmbeddingSize = 384) : IHypernetworkLoader
{
    public List<(string Directory, string? BaseModel, string Device)> Loads { get; } = [];

    public LinearFakeHypernetwork? Last { get; private set; }

    public IHypernetwork Load(string directory, string? baseModelDirectory, Device device, CancellationToken cancellationToken = default)
    {
        Loads.Add((directory, baseModelDirectory, device.ToString()));
        Last = new LinearFakeHypernetwork(taskEmbeddingSize);
        return Last;
    }
}
