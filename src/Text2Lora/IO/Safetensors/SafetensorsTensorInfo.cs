using TorchSharp;

namespace Text2Lora.IO.Safetensors;

/// <summary>One tensor entry of a safetensors header.</summary>
/// <param name="Name">Tensor name (state-dict key).</param>
/// <param name="DType">Safetensors dtype name, e.g. <c>F32</c>.</param>
/// <param name="ScalarType">The matching TorchSharp scalar type.</param>
/// <param name="Shape">Tensor shape.</param>
/// <param name="Begin">Start of the tensor's bytes, relative to the data area.</param>
/// <param name="End">End (exclusive) of the tensor's bytes, relative to the data area.</param>
public sealed record SafetensorsTensorInfo(string Name, string DType, torch.ScalarType ScalarType, long[] Shape, long Begin, long End)
{
    /// <summary>Number of bytes the tensor occupies.</summary>
    public long ByteLength => End - Begin;
}
