using static TorchSharp.torch;

namespace Text2Lora.Encoders;

/// <summary>
/// The description encoder a hypernetwork needs, as <see cref="TaskEncoderSelection"/> decides it from the recorded
/// encoder name.
/// </summary>
/// <param name="Id">The encoder as recorded or given: a hub id, a folder, or empty for the base model.</param>
/// <param name="Family">Which model computes the embedding.</param>
/// <param name="Format">How descriptions are prepared for it.</param>
/// <param name="DType">The dtype the reference runs it in: float32 when the name contains "gte", otherwise bfloat16.</param>
public sealed record TaskEncoderChoice(string Id, TaskEncoderFamily Family, DescriptionFormat Format, ScalarType DType);
