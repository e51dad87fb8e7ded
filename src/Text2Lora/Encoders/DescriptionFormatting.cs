using System.Text;

namespace Text2Lora.Encoders;

/// <summary>
/// The text a description encoder sees for a task description, exactly as the T2L reference prepares it
/// (<c>hyper_llm_modulator/utils/preprocessing.py</c>: <c>add_full_stop</c>, <c>apply_sfr_template</c>). The result
/// is also the key of the embedding cache, so two descriptions share an embedding only when the encoder input is
/// identical.
/// </summary>
public static class DescriptionFormatting
{
    /// <summary>The instruction of the reference's SFR template (from the E5/unilm retrieval prompts).</summary>
    public const string SfrTaskInstruction = "Retrieve semantically similar text.";

    /// <summary>The text the encoder sees for <paramref name="description"/> under <paramref name="format"/>.</summary>
    /// <exception cref="ArgumentException">The description is null, empty or whitespace only (the reference would fail on it).</exception>
    public static string Apply(DescriptionFormat format, string description) => format switch
    {
        DescriptionFormat.AddFullStop => AddFullStop(description),
        DescriptionFormat.SfrInstruction => SfrInstruction(description),
        DescriptionFormat.CollapseWhitespace => TaskDescriptions.Normalize(description, nameof(description)),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown description format"),
    };

    /// <summary>
    /// The reference's <c>add_full_stop(s)</c>: <c>s.strip()</c> (Python's whitespace), then <c>"."</c> appended when the
    /// last character is a letter (<c>str.isalpha</c>: Unicode categories Lu, Ll, Lt, Lm, Lo, so "中文" gets one and
    /// "version 2", "it." or "positive?" do not). Inner whitespace and newlines are kept as they are.
    /// </summary>
    /// <exception cref="ArgumentException">Nothing is left after stripping (the reference raises IndexError).</exception>
    public static string AddFullStop(string description)
    {
        var stripped = PythonStrip(RequireText(description));
        // The last code point (a surrogate pair counts as one, as in Python); a lone surrogate is no letter.
        Rune.DecodeLastFromUtf16(stripped, out var last, out _);
        return Rune.IsLetter(last) ? stripped + "." : stripped;
    }

    /// <summary>The reference's <c>apply_sfr_template(query)</c>: <c>"Instruct: Retrieve semantically similar text.\nQuery: " + query</c>.</summary>
    /// <exception cref="ArgumentException">The description is null, empty or whitespace only.</exception>
    public static string SfrInstruction(string description) => $"Instruct: {SfrTaskInstruction}\nQuery: {RequireText(description)}";

    /// <summary>Python's <c>str.strip()</c>: removes <see cref="IsPythonWhitespace"/> characters at both ends.</summary>
    internal static string PythonStrip(string text)
    {
        var start = 0;
        var end = text.Length;
        while (start < end && IsPythonWhitespace(text[start]))
        {
            start++;
        }

        while (end > start && IsPythonWhitespace(text[end - 1]))
        {
            end--;
        }

        return text[start..end];
    }

    /// <summary>
    /// Python's <c>str.isspace</c> for one UTF-16 unit: .NET's whitespace plus U+001C..U+001F (file, group, record and
    /// unit separators), which Python also treats as whitespace. (No whitespace lies outside the BMP.)
    /// </summary>
    internal static bool IsPythonWhitespace(char c) => char.IsWhiteSpace(c) || c is >= '\u001C' and <= '\u001F';

    private static string RequireText(string description)
    {
        if (description is null || PythonStrip(description).Length == 0)
        {
            throw new ArgumentException("A task description must contain text; it is empty or whitespace only.", nameof(description));
        }

        return description;
    }
}
