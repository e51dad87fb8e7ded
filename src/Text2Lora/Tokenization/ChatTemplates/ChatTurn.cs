namespace Text2Lora.Tokenization.ChatTemplates;

/// <summary>One message of a conversation, as chat templates see it (<c>{"role": ..., "content": ...}</c>).</summary>
/// <param name="Role"><c>system</c>, <c>user</c> or <c>assistant</c>.</param>
/// <param name="Content">The message text.</param>
public sealed record ChatTurn(string Role, string Content)
{
    /// <summary>A <c>system</c> message.</summary>
    public static ChatTurn System(string content) => new("system", content);

    /// <summary>A <c>user</c> message.</summary>
    public static ChatTurn User(string content) => new("user", content);

    /// <summary>An <c>assistant</c> message.</summary>
    public static ChatTurn Assistant(string content) => new("assistant", content);
}
