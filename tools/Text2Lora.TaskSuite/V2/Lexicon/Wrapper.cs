namespace Text2Lora.TaskSuite.V2.Lexicon;

/// <summary>A pair of characters put around a word, with the ways a description may name it.</summary>
/// <param name="Key">Short name used in task names ("round").</param>
/// <param name="Open">Character before the word.</param>
/// <param name="Close">Character after the word.</param>
/// <param name="Names">Plural names ("parentheses", "round brackets").</param>
public sealed record Wrapper(string Key, string Open, string Close, IReadOnlyList<string> Names)
{
    /// <summary>Every wrapper of the suite, in a fixed order.</summary>
    public static IReadOnlyList<Wrapper> All { get; } =
    [
        new("round", "(", ")", ["parentheses", "round brackets"]),
        new("square", "[", "]", ["square brackets", "box brackets"]),
        new("curly", "{", "}", ["curly braces", "curly brackets"]),
        new("angle", "<", ">", ["angle brackets", "chevrons"]),
        new("double_quotes", "\"", "\"", ["double quotes", "quotation marks"]),
        new("single_quotes", "'", "'", ["single quotes", "apostrophes"]),
        new("stars", "*", "*", ["stars", "asterisks"]),
        new("slashes", "/", "/", ["slashes", "forward slashes"]),
    ];
}
