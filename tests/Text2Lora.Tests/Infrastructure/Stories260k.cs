namespace Text2Lora.Tests.Infrastructure;

/// <summary>The stories260k fixture's prompts and greedy continuations, as stated in Fixtures/stories260k/README.md.</summary>
internal static class Stories260k
{
    public static string ModelDirectory => FixturePaths.Get("stories260k", "model");

    public static string ExpectedPath => FixturePaths.Get("stories260k", "expected.safetensors");

    /// <summary>Row 0 of expected.safetensors (18 ids with BOS).</summary>
    public const string DogPrompt = "Once upon a time, there was a little dog named Max. He";

    /// <summary>Greedy 32 new tokens after <see cref="DogPrompt"/>, decoded without special tokens.</summary>
    public const string DogContinuation = "loved to play with his toys and run around the house. One day, Max saw a big bo";

    /// <summary>Row 1 of expected.safetensors (6 ids with BOS).</summary>
    public const string LilyPrompt = "Lily liked to play";

    /// <summary>Greedy 32 new tokens after <see cref="LilyPrompt"/>, decoded without special tokens.</summary>
    public const string LilyContinuation = "with her toys. She had a big box of toys and a big box. She liked to play with her to";

    /// <summary>The README's generations are 32 new tokens long.</summary>
    public const int GeneratedTokens = 32;
}
