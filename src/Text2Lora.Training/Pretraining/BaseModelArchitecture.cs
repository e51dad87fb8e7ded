using System.ComponentModel.DataAnnotations;
using Text2Lora.Models.Llama;

namespace Text2Lora.Training.Pretraining;

/// <summary>
/// The shape of a Llama-architecture base model trained from scratch (the <c>config.json</c> fields a user picks;
/// the vocabulary and special token ids come from the tokenizer).
/// </summary>
public sealed class BaseModelArchitecture : IValidatableObject
{
    /// <summary><c>hidden_size</c>.</summary>
    [Range(8, 65536)]
    public int HiddenSize { get; set; } = 128;

    /// <summary><c>intermediate_size</c> of the gated MLP.</summary>
    [Range(8, 262144)]
    public int IntermediateSize { get; set; } = 352;

    /// <summary><c>num_hidden_layers</c>.</summary>
    [Range(1, 256)]
    public int NumHiddenLayers { get; set; } = 4;

    /// <summary><c>num_attention_heads</c>; must divide <see cref="HiddenSize"/> into even head sizes.</summary>
    [Range(1, 1024)]
    public int NumAttentionHeads { get; set; } = 4;

    /// <summary><c>num_key_value_heads</c>; must divide <see cref="NumAttentionHeads"/>.</summary>
    [Range(1, 1024)]
    public int NumKeyValueHeads { get; set; } = 4;

    /// <summary><c>max_position_embeddings</c>: the longest sequence the model is meant for.</summary>
    [Range(16, 1048576)]
    public int MaxPositionEmbeddings { get; set; } = 256;

    /// <summary><c>rope_theta</c>.</summary>
    [Range(1.0, 1e9)]
    public double RopeTheta { get; set; } = 10000;

    /// <summary><c>rms_norm_eps</c>.</summary>
    [Range(1e-12, 1e-1)]
    public double RmsNormEps { get; set; } = 1e-5;

    /// <summary><c>initializer_range</c>: standard deviation of the initial weights.</summary>
    [Range(1e-6, 1.0)]
    public double InitializerRange { get; set; } = 0.02;

    /// <summary><c>tie_word_embeddings</c>: the output head reuses the embedding table.</summary>
    public bool TieWordEmbeddings { get; set; } = true;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (HiddenSize % NumAttentionHeads != 0 || HiddenSize / NumAttentionHeads % 2 != 0)
        {
            yield return new ValidationResult($"hiddenSize ({HiddenSize}) must split into {NumAttentionHeads} heads of an even size.", [nameof(NumAttentionHeads)]);
        }

        if (NumAttentionHeads % NumKeyValueHeads != 0)
        {
            yield return new ValidationResult($"numKeyValueHeads ({NumKeyValueHeads}) must divide numAttentionHeads ({NumAttentionHeads}).", [nameof(NumKeyValueHeads)]);
        }
    }

    /// <summary>The <c>llama</c> config of this shape for a tokenizer with the given vocabulary and special ids.</summary>
    public LlamaFamilyConfig ToConfig(int vocabularySize, int? bosTokenId, IReadOnlyList<int> eosTokenIds, int? padTokenId)
    {
        var headDim = HiddenSize / NumAttentionHeads;
        return new LlamaFamilyConfig
        {
            ModelType = "llama",
            VocabSize = vocabularySize,
            HiddenSize = HiddenSize,
            IntermediateSize = IntermediateSize,
            NumHiddenLayers = NumHiddenLayers,
            NumAttentionHeads = NumAttentionHeads,
            NumKeyValueHeads = NumKeyValueHeads,
            HeadDim = headDim,
            MaxPositionEmbeddings = MaxPositionEmbeddings,
            RmsNormEps = RmsNormEps,
            RopeTheta = RopeTheta,
            TieWordEmbeddings = TieWordEmbeddings,
            AttentionScale = 1.0 / Math.Sqrt(headDim),
            BosTokenId = bosTokenId,
            EosTokenIds = [.. eosTokenIds],
            PadTokenId = padTokenId,
        };
    }
}
