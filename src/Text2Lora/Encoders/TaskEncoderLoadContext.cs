using Text2Lora.Abstractions;
using Text2Lora.Tokenization;
using static TorchSharp.torch;

namespace Text2Lora.Encoders;

/// <summary>Where and how <see cref="TaskEncoderLoader"/> loads an encoder.</summary>
public sealed record TaskEncoderLoadContext
{
    /// <summary>The hypernetwork checkpoint's folder: relative encoder and base-model paths are also looked for there and above it.</summary>
    public string? CheckpointDirectory { get; init; }

    /// <summary>The base model (folder or id) for <see cref="TaskEncoderFamily.BaseModel"/>, when <see cref="BaseModel"/> is not given.</summary>
    public string? BaseModelDirectory { get; init; }

    /// <summary>An already loaded base model (with <see cref="BaseModelTokenizer"/>) to embed with; the caller keeps ownership.</summary>
    public IBaseModel? BaseModel { get; init; }

    /// <summary>The tokenizer of <see cref="BaseModel"/>.</summary>
    public ITextTokenizer? BaseModelTokenizer { get; init; }

    /// <summary>Where the encoder runs (null: CPU); embeddings are always returned on the CPU.</summary>
    public Device? Device { get; init; }

    /// <summary>The encoder's dtype (null: the reference's, <see cref="TaskEncoderChoice.DType"/>).</summary>
    public ScalarType? DType { get; init; }

    /// <summary>
    /// The <see cref="DType"/> for a precision a user asked for (<c>--dtype</c>, <c>Text2LoraOptions.DType</c>):
    /// float32, the default everywhere, keeps the reference's encoder precision (null); bfloat16 and float16 override it.
    /// </summary>
    public static ScalarType? DTypeFor(ScalarType requested) => requested == ScalarType.Float32 ? null : requested;

    /// <summary>Embeddings kept in an LRU cache keyed by the exact encoder input; 0: no cache.</summary>
    public int CacheCapacity { get; init; }
}
