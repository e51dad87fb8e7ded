namespace Text2Lora.Abstractions;

/// <summary>
/// What callers of <see cref="IBaseModel"/> need to know about its architecture, independent of the model family:
/// sizes, context length and special token ids, as read from the model's <c>config.json</c>.
/// </summary>
/// <param name="ModelType">The <c>model_type</c> (e.g. <c>llama</c>, <c>mistral</c>, <c>qwen2</c>, <c>gemma2</c>).</param>
/// <param name="VocabSize">Rows of the output head.</param>
/// <param name="HiddenSize">Width of the hidden states.</param>
/// <param name="NumHiddenLayers">Number of decoder layers.</param>
/// <param name="MaxPositionEmbeddings">The longest sequence the model supports.</param>
/// <param name="EosTokenIds">The end-of-sequence token ids (possibly several).</param>
/// <param name="PadTokenId">The padding token id, when the config names one.</param>
public sealed record BaseModelInfo(
    string ModelType,
    int VocabSize,
    int HiddenSize,
    int NumHiddenLayers,
    int MaxPositionEmbeddings,
    IReadOnlyList<int> EosTokenIds,
    int? PadTokenId);
