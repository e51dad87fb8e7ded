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

    /// <summary>
    /// As <see cref="Load(string, string?, Device, CancellationToken)"/>, with the weights in <paramref name="dtype"/>
    /// (float32, bfloat16 or float16). Loaders that only produce float32 keep this default, which refuses other dtypes.
    /// </summary>
    /// <exception cref="NotSupportedException">The loader cannot produce <paramref name="dtype"/>.</exception>
    IHypernetwork Load(string directory, string? baseModelDirectory, Device device, ScalarType dtype, CancellationToken cancellationToken = default) =>
        dtype == ScalarType.Float32
            ? Load(directory, baseModelDirectory, device, cancellationToken)
            : throw new NotSupportedException($"{GetType().Name} loads float32 hypernetworks only, not {dtype}.");
}
