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

    /// <summary>A base-model folder or hub reference overriding the one the checkpoint names; only its <c>config.json</c> is read.</summary>
    public string? BaseModelDirectory { get; set; }

    /// <summary>The task encoder that embeds descriptions (it must be the one the hypernetwork was trained with).</summary>
    [EnumDataType(typeof(TaskEncoderKind))]
    public TaskEncoderKind TaskEncoder { get; set; } = TaskEncoderKind.MiniLm;

    /// <summary>The TorchSharp device the hypernetwork runs on: <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    [Required]
    [RegularExpression(@"^(cpu|cuda(:\d+)?)$", ErrorMessage = "The Device field must be 'cpu', 'cuda' or 'cuda:N'.")]
    public string Device { get; set; } = "cpu";

    /// <summary>How many description embeddings to keep in the LRU cache; 0 disables the cache.</summary>
    [Range(0, 1_000_000)]
    public int EmbeddingCacheSize { get; set; } = 1024;
}
