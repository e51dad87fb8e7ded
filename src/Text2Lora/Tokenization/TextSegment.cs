namespace Text2Lora.Tokenization;

/// <summary>Either a run of ordinary text or one added token, as <see cref="AddedTokenSplitter"/> cuts the input.</summary>
internal readonly record struct TextSegment(string? Text, AddedToken? Token)
{
    public bool IsAddedToken => Token is not null;
}
