using Text2Lora.Encoders;
using System.ComponentModel.DataAnnotations;

namespace Text2Lora.LoraGeneration;

/// <summary>Settings of <c>services.AddText2Lora(...)</c> and <see cref="Text2LoraBuilder"/>, bindable from a <c>"Text2Lora"</c> configuration section.</summary>
public sealed class Text2LoraOptions
{
    /// <summary>The configuration section name these options are conventionally bound from.</summary>
    public const string SectionName = "Text2Lora";

    /// <summary>The hypernetwork checkpoint folder (required unless a hypernetwork instance is supplied).</summary>
    public string? HypernetworkDirectory { get; set; }

    /// <summary>
    /// A base-model folder overriding the one the checkpoint names: its <c>config.json</c> gives the adapter shapes, and
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

    /// <summary>The TorchSharp device the hypernetwork runs on: <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    [Required]
    [RegularExpression(@"^(cpu|cuda(:\d+)?)$", ErrorMessage = "The Device field must be 'cpu', 'cuda' or 'cuda:N'.")]
    public string Device { get; set; } = "cpu";

    /// <summary>How many description embeddings to keep in the LRU cache; 0 disables the cache.</summary>
    [Range(0, 1_000_000)]
    public int EmbeddingCacheSize { get; set; } = 1024;
}
