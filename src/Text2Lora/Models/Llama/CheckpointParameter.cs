using Text2Lora.IO.Safetensors;
using static TorchSharp.torch;

namespace Text2Lora.Models.Llama;

/// <summary>Copies one checkpoint tensor into a preallocated parameter after checking that it exists and that its shape and dtype fit (shared by the model loaders).</summary>
internal static class CheckpointParameter
{
    private static readonly ScalarType[] SupportedDTypes = [ScalarType.Float32, ScalarType.BFloat16, ScalarType.Float16];

    /// <exception cref="ModelFormatException">The tensor is missing, has another shape or an unsupported dtype; names the key.</exception>
    public static void CopyInto(SafetensorsCheckpoint checkpoint, string directory, string key, Tensor parameter)
    {
        if (!checkpoint.Contains(key))
        {
            throw new ModelFormatException(directory, key, $"missing tensor '{key}'.");
        }

        var info = checkpoint.GetInfo(key);
        if (!info.Shape.SequenceEqual(parameter.shape))
        {
            throw new ModelFormatException(directory, key,
                $"tensor '{key}' has shape [{string.Join(", ", info.Shape)}], the config implies [{string.Join(", ", parameter.shape)}].");
        }

        if (!SupportedDTypes.Contains(info.ScalarType))
        {
            throw new ModelFormatException(directory, key, $"tensor '{key}' is {info.DType}; only F32, BF16 and F16 weights are supported.");
        }

        // Straight into the parameter, converted chunk by chunk: no full-size temporary in the file's or any dtype.
        checkpoint.ReadInto(key, parameter);
    }
}
