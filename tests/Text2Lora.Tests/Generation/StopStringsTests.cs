
using Text2Lora.TextGeneration;
using Text2Lora.Tests.Infrastructure;

namespace Text2Lora.Tests.Generation;

/// <summary>The text rules behind decode-aware stopping and streaming.</summary>
[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class StopStringsTests
{
    [Theory]
    [InlineData("abc. def", new[] { "." }, 3)]
    [InlineData("abc. def\n", new[] { "\n", "." }, 3)]
    [InlineData("abc", new[] { "x" }, -1)]
    [InlineData("Question: 2", new[] { "Question:" }, 0)]
    public void First_match_is_the_earliest_of_all_stops(string text, string[] stops, int expected) =>
        Assert.Equal(expected, StopStrings.FirstMatch(text, stops));

    [Theory]
    [InlineData("The answer", new string[0], 10)]
    [InlineData("The answer\nQue", new[] { "\nQuestion:" }, 10)] // "\nQue" may become the stop: held back
    [InlineData("The answer Q", new[] { "\nQuestion:" }, 12)] // "Q" without the newline cannot
    [InlineData("caf\uFFFD", new string[0], 3)] // a partial UTF-8 character waits for its other bytes
    [InlineData("ab", new[] { "bc", "abd" }, 0)] // the longest held suffix wins
    public void Streamable_length_holds_back_possible_stop_starts(string text, string[] stops, int expected) =>
        Assert.Equal(expected, StopStrings.StreamableLength(text, stops));
}
