using Text2Lora.Evaluation.Scoring;
using Text2Lora.Tests.Infrastructure;

namespace Text2Lora.Tests.Evaluation;

[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class AnswerExtractionTests
{
    [Theory]
    [InlineData("She makes 9 * 2 = $18 every day.", "18")]
    [InlineData("16 - 3 - 4 = 9 eggs, so 9 * 2 = 18.\n#### 18", "18")]
    [InlineData("The total is 1,234.50 dollars", "1234.50")]
    [InlineData("It went from 12 to -7", "-7")]
    [InlineData("cost $70,000 in total", "70000")]
    [InlineData("answer: 0.5.", "0.5")]
    public void Last_number_is_extracted(string text, string expected) =>
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), NumericAnswer.ExtractLast(text));

    [Theory]
    [InlineData("")]
    [InlineData("no digits at all")]
    public void No_number_gives_null(string text) => Assert.Null(NumericAnswer.ExtractLast(text));

    [Theory]
    [InlineData("Janet sells 16 - 3 - 4 = <<16-3-4=9>>9 duck eggs a day.\n#### 18", "18")]
    [InlineData("So 1 + 1 = 2\n#### 1,000", "1000")]
    [InlineData("#### -3", "-3")]
    public void Gold_is_the_number_after_the_last_marker(string solution, string expected) =>
        Assert.Equal(expected, NumericAnswer.ExtractGold(solution));

    [Theory]
    [InlineData("no marker 5")]
    [InlineData("#### many")]
    public void Gold_without_number_is_null(string solution) => Assert.Null(NumericAnswer.ExtractGold(solution));

    [Theory]
    [InlineData("So she makes 18.00 dollars.", "18", true)]
    [InlineData("The answer is 18, not 17", "18", false)] // the last number counts
    [InlineData("She makes 1,800.", "1800", true)]
    [InlineData("I do not know", "18", false)]
    public void Numeric_match_uses_the_last_number(string generated, string gold, bool expected) =>
        Assert.Equal(expected, NumericAnswer.Matches(generated, gold));

    [Theory]
    [InlineData("  `Yes.` ", "yes", true)]
    [InlineData("(B)", "b", true)]
    [InlineData("cba\n", "cba", true)]
    [InlineData("1.0", "1", true)]    // numbers compare by value
    [InlineData("cba d", "cba", false)]
    [InlineData("Yes, it is", "yes", false)]
    public void Exact_match_normalises_like_the_reference(string generated, string gold, bool expected) =>
        Assert.Equal(expected, AnswerText.Matches(generated, gold));

    [Theory]
    [InlineData("B", 1)]
    [InlineData(" b. breathing mask", 1)]
    [InlineData("(C)", 2)]
    [InlineData("Because of the mask", -1)] // "B" followed by a letter names nothing
    [InlineData("E", -1)]
    [InlineData("", -1)]
    public void Choice_label_is_read_from_the_start(string generated, int expected) =>
        Assert.Equal(expected, ChoiceLabelMatcher.Match(generated, ["A", "B", "C", "D"]));

    [Theory]
    [InlineData("True.", 1)]
    [InlineData("false", 0)]
    [InlineData("t", -1)]
    public void Whole_word_labels_are_matched_whole(string generated, int expected) =>
        Assert.Equal(expected, ChoiceLabelMatcher.Match(generated, ["false", "true"]));

    [Fact]
    public void The_longest_matching_label_wins() =>
        Assert.Equal(1, ChoiceLabelMatcher.Match("10", ["1", "10"]));
}
