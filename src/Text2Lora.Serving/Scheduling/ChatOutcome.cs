namespace Text2Lora.Serving.Scheduling;

/// <summary>How a finished chat job ended.</summary>
internal sealed record ChatOutcome(string Text, int PromptTokens, int CompletionTokens, string FinishReason);
