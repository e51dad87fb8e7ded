using static TorchSharp.torch;

namespace Text2Lora.IO.Safetensors;

/// <summary>A tensor's place in a safetensors file before its data exists: name, dtype and shape.</summary>
/// <param name="Name">Tensor name (state-dict key).</param>
/// <param name="DType">Element type (one safetensors can store).</param>
/// <param name="Shape">Tensor shape.</param>
public sealed record SafetensorsTensorLayout(string Name, ScalarType DType, long[] Shape)
{
    /// <summary>Number of bytes the tensor's data occupies.</summary>
    public long ByteLength => Shape.Aggregate(1L, (a, b) => a * b) * SafetensorsDType.SizeOf(DType);
}
