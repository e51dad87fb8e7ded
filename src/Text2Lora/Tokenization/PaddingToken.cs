using Text2Lora.Abstractions;

namespace Text2Lora.Tokenization;

/// <summary>
/// The one rule for the id that pads a batch of a base model's sequences (training, pretraining, evaluation, decoding,
/// the base model as task encoder): the tokenizer's pad token, else the model config's <c>pad_token_id</c>, else the
/// first EOS id, else 0 — Hugging Face's order (collators pad with <c>tokenizer.pad_token_id</c>; models without one
/// pad with EOS). Padded positions are masked or carry no loss, so the choice never changes a result.
/// </summary>
public static class PaddingToken
{
    /// <summary>The padding id for <paramref name="model"/> read with <paramref name="tokenizer"/> (null: no tokenizer at hand).</summary>
    public static int IdFor(BaseModelInfo model, ITextTokenizer? tokenizer)
    {
        ArgumentNullException.ThrowIfNull(model);
        return tokenizer?.PadTokenId ?? model.PadTokenId ?? (model.EosTokenIds.Count > 0 ? model.EosTokenIds[0] : 0);
    }
}
