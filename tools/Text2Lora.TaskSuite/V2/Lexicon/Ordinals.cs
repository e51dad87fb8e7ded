namespace Text2Lora.TaskSuite.V2.Lexicon;

/// <summary>Ordinal numbers for descriptions: "4th" and "fourth".</summary>
public static class Ordinals
{
    private static readonly string[] Words = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"];

    /// <summary>The ordinal <paramref name="n"/> (1–10) in digits with its suffix, then in words.</summary>
    public static IReadOnlyList<string> Renderings(int n)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(n, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(n, Words.Length);
        var suffix = n switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" };
        return [$"{n}{suffix}", Words[n - 1]];
    }
}
