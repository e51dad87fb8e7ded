using static TorchSharp.torch;

namespace Text2Lora.Abstractions;

/// <summary>Loads a hypernetwork checkpoint folder (the reference T2L format or Text2Lora's own).</summary>
public interface IHypernetworkLoader
{
    /// <summary>
    /// Loads the hypernetwork in <paramref name="directory"/> onto <paramref name="device"/>.
    /// <paramref name="baseModelDirectory"/>, when set, overrides the base model the checkpoint names; only its
    /// <c>config.json</c> (the shapes) is read. The caller owns the result.
    /// </summary>
    IHypernetwork Load(string directory, string? baseModelDirectory, Device device, CancellationToken cancellationToken = default);
}
