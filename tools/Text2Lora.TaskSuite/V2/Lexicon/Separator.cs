namespace Text2Lora.TaskSuite.V2.Lexicon;

/// <summary>A character put between letters or words, with the ways a description may name it.</summary>
/// <param name="Key">Short name used in task names ("dash").</param>
/// <param name="Symbol">The character itself.</param>
/// <param name="Singular">Names with an article ("a dash", "a hyphen").</param>
/// <param name="Plural">Plural names ("dashes", "hyphens").</param>
public sealed record Separator(string Key, string Symbol, IReadOnlyList<string> Singular, IReadOnlyList<string> Plural)
{
    /// <summary>Every separator of the suite, in a fixed order.</summary>
    public static IReadOnlyList<Separator> All { get; } =
    [
        new("dash", "-", ["a dash", "a hyphen", "a minus sign"], ["dashes", "hyphens", "minus signs"]),
        new("comma", ",", ["a comma", "a \",\""], ["commas", "\",\" characters"]),
        new("dot", ".", ["a dot", "a full stop", "a period"], ["dots", "full stops", "periods"]),
        new("underscore", "_", ["an underscore", "a low line"], ["underscores", "low lines"]),
        new("plus", "+", ["a plus sign", "a plus"], ["plus signs", "pluses"]),
        new("colon", ":", ["a colon", "a \":\""], ["colons", "\":\" characters"]),
        new("star", "*", ["a star", "an asterisk"], ["stars", "asterisks"]),
        new("bar", "|", ["a vertical bar", "a pipe"], ["vertical bars", "pipes"]),
        new("hash", "#", ["a hash", "a number sign"], ["hashes", "number signs"]),
        new("slash", "/", ["a slash", "a forward slash"], ["slashes", "forward slashes"]),
        new("equals", "=", ["an equals sign", "an \"=\""], ["equals signs", "\"=\" characters"]),
        new("tilde", "~", ["a tilde", "a wave sign"], ["tildes", "wave signs"]),
        new("space", " ", ["a space", "a blank"], ["spaces", "blanks"]),
    ];

    /// <summary>The separator named <paramref name="key"/>.</summary>
    public static Separator Named(string key) => All.Single(s => s.Key == key);
}
