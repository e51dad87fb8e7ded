using static TorchSharp.torch;

namespace Text2Lora.Models.Llama;

/// <summary>Where and in which precision to load a base model.</summary>
public sealed record ModelLoadOptions
{
    /// <summary>Target device (null: CPU).</summary>
    public Device? Device { get; init; }

    /// <summary>Weight dtype: float32 (default), bfloat16 or float16; checkpoint tensors are cast while loading.</summary>
    public ScalarType DType { get; init; } = ScalarType.Float32;
}
