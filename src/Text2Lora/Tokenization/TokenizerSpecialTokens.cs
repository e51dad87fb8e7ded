namespace Text2Lora.Tokenization;

/// <summary>The special-token wiring of a tokenizer, resolved to ids by <see cref="TokenizerLoader"/>.</summary>
/// <param name="AddedTokens">Tokens matched verbatim in the input.</param>
/// <param name="SpecialIds">Ids dropped by <c>Decode(skipSpecialTokens: true)</c>.</param>
/// <param name="PrefixIds">Ids put before the text when special tokens are added (BOS).</param>
/// <param name="SuffixIds">Ids put after the text when special tokens are added (EOS).</param>
/// <param name="BosTokenId">BOS id, if any.</param>
/// <param name="EosTokenIds">EOS ids generation stops on.</param>
/// <param name="PadTokenId">PAD id, if any.</param>
internal sealed record TokenizerSpecialTokens(
    IReadOnlyList<AddedToken> AddedTokens,
    IReadOnlyCollection<int> SpecialIds,
    IReadOnlyList<int> PrefixIds,
    IReadOnlyList<int> SuffixIds,
    int? BosTokenId,
    IReadOnlyList<int> EosTokenIds,
    int? PadTokenId);
