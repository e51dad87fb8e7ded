using System.Text.Json;
using Text2Lora.Encoders;
using Text2Lora.Tests.Infrastructure;

namespace Text2Lora.Tests.Encoders;

/// <summary>The reference's description preprocessing (<c>add_full_stop</c>, <c>apply_sfr_template</c>).</summary>
[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class DescriptionFormattingTests
{
    /// <summary>The reference's own outputs: Fixtures/gte/t2l_descriptions.json (raw → after add_full_stop, computed by the reference code).</summary>
    public static TheoryData<string, string> ReferenceCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var entry in JsonDocument.Parse(File.ReadAllText(FixturePaths.Get("gte", "t2l_descriptions.json"))).RootElement.EnumerateArray())
        {
            data.Add(entry.GetProperty("raw").GetString()!, entry.GetProperty("after_add_full_stop").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ReferenceCases))]
    public void Add_full_stop_matches_the_reference_outputs(string raw, string expected) =>
        Assert.Equal(expected, DescriptionFormatting.AddFullStop(raw));

    [Theory]
    // Python: "\x1c a \x1f".strip() == "a" (U+001C..U+001F are str.isspace), then a letter → "a."
    [InlineData("\u001c a \u001f", "a.")]
    // Non-breaking space and U+3000 are stripped by Python too; inner ones are kept.
    [InlineData("\u00a0Do\u3000this\u3000", "Do\u3000this.")]
    // str.isalpha is per code point: U+1D400 MATHEMATICAL BOLD CAPITAL A (a surrogate pair in UTF-16) is a letter (Lu).
    [InlineData("Use \U0001D400", "Use \U0001D400.")]
    // Digits, closing brackets, quotes and marks are not letters.
    [InlineData("Count to 10", "Count to 10")]
    [InlineData("Quote \"this\"", "Quote \"this\"")]
    // Modifier letters (Lm) count as letters in Python.
    [InlineData("ends with \u02b0", "ends with \u02b0.")]
    public void Add_full_stop_follows_python_strip_and_isalpha(string raw, string expected) =>
        Assert.Equal(expected, DescriptionFormatting.AddFullStop(raw));

    [Theory]
    [InlineData("")]
    [InlineData(" \n\t")]
    [InlineData("\u001c")]
    public void Blank_descriptions_are_rejected_where_the_reference_raises_IndexError(string raw) =>
        Assert.Throws<ArgumentException>(() => DescriptionFormatting.AddFullStop(raw));

    [Fact]
    public void Sfr_template_is_the_references_string_with_the_description_untouched() =>
        Assert.Equal("Instruct: Retrieve semantically similar text.\nQuery:  solve it ", DescriptionFormatting.SfrInstruction(" solve it "));

    [Fact]
    public void Collapse_whitespace_is_the_legacy_normalisation() =>
        Assert.Equal("Answer the question", DescriptionFormatting.Apply(DescriptionFormat.CollapseWhitespace, "  Answer\n the\tquestion "));
}
