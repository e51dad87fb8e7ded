using Text2Lora.Encoders;
using System.ComponentModel.DataAnnotations;

namespace Text2Lora.LoraGeneration;

/// <summary>Settings of <c>services.AddText2Lora(...)</c> and <see cref="Text2LoraBuilder"/>, bindable from a <c>"Text2Lora"</c> configuration section.</summary>
public sealed class Text2LoraOptions
{
    /// <summary>The configuration section name these options are conventionally bound from.</summary>
    public const string SectionName = "Text2Lora";

    /// <summary>
    /// The hypernetwork checkpoint folder, or a hub reference <c>org/name[@revision][:subfolder]</c> downloaded into the
    /// Hugging Face cache (required unless a hypernetwork instance is supplied).
    /// </summary>
    public string? HypernetworkDirectory { get; set; }

    /// <summary>
    /// A base-model folder or hub reference overriding the one the checkpoint names: its <c>config.json</c> gives the adapter shapes, and
    /// when the base model itself embeds descriptions (reference <c>emb_model: ""</c>) its weights and tokenizer are
    /// loaded for that.
    /// </summary>
    public string? BaseModelDirectory { get; set; }

    /// <summary>
    /// Overrides where the description encoder comes from: a folder or a hub id (e.g. a local copy of
    /// <c>Alibaba-NLP/gte-large-en-v1.5</c>). Null: the encoder the checkpoint records, chosen by
    /// <see cref="Encoders.TaskEncoderSelection"/>. The description format always stays the checkpoint's.
    /// </summary>
    public string? Encoder { get; set; }

    /// <summary>
    /// The device the hypernetwork and the description encoder run on: <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>
    /// (see <see cref="Runtime.ComputeDevice"/>). A CUDA device is initialised before anything else is loaded.
    /// </summary>
    [Required]
    public string Device { get; set; } = Runtime.ComputeDevice.Cpu;

    /// <summary>
    /// The precision the hypernetwork and the description encoder are loaded in: <c>float32</c> (default),
    /// <c>bfloat16</c> or <c>float16</c> (see <see cref="Models.ModelDType"/>); weights are cast while loading.
    /// Generated adapters stay float32 (the dtype of PEFT adapter weights). With <c>float32</c> the encoder keeps the reference's precision
    /// (<see cref="Encoders.TaskEncoderChoice.DType"/>: gte in float32, a base-model encoder in bfloat16).
    /// </summary>
    [Required]
    public string DType { get; set; } = Models.ModelDType.Float32;

    /// <summary>How many description embeddings to keep in the LRU cache; 0 disables the cache.</summary>
    [Range(0, 1_000_000)]
    public int EmbeddingCacheSize { get; set; } = 1024;
}
