namespace Text2Lora.Tokenization;

/// <summary>
/// A token matched verbatim in the input before the model sees it (HF <c>AddedToken</c>, from
/// <c>added_tokens_decoder</c> or <c>tokenizer.json</c>'s <c>added_tokens</c>).
/// </summary>
/// <param name="Id">Token id.</param>
/// <param name="Content">The literal text.</param>
/// <param name="Special">Dropped by <c>Decode(skipSpecialTokens: true)</c>.</param>
/// <param name="LStrip">The match swallows whitespace to its left.</param>
/// <param name="RStrip">The match swallows whitespace to its right.</param>
/// <param name="SingleWord">Only matches when not inside a word.</param>
internal sealed record AddedToken(int Id, string Content, bool Special, bool LStrip = false, bool RStrip = false, bool SingleWord = false);
