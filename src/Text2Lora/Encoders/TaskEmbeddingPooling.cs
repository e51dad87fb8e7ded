namespace Text2Lora.Encoders;

/// <summary>How <see cref="BaseModelTaskEncoder"/> pools the base model's final hidden states over a description's tokens.</summary>
public enum TaskEmbeddingPooling
{
    /// <summary>The hidden state of the last real (non-padding) token — the T2L reference's default.</summary>
    LastToken,

    /// <summary>The mean of the hidden states of all real tokens.</summary>
    Mean,
}
