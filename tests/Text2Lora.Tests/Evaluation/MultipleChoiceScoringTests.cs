using Text2Lora.Evaluation.Abstractions;
using Text2Lora.Evaluation.Items;
using Text2Lora.Evaluation.Scoring;
using Text2Lora.Tests.Infrastructure;

namespace Text2Lora.Tests.Evaluation;

[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class MultipleChoiceScoringTests
{
    private static readonly EvaluationPrompt Context = EvaluationPrompt.Raw("Q:");

    // Option texts of 4, 12 and 10 characters.
    private static readonly AnswerOption[] Options =
    [
        AnswerOption.Create("A", Context, " ", "cats"),
        AnswerOption.Create("B", Context, " ", "dogs and fox"),
        AnswerOption.Create("C", Context, " ", "horse hoof"),
    ];

    // Sums −4, −6, −5 over 2, 4 and 1 tokens.
    // per token:  −2, −1.5, −5  → B;  per character: −1, −0.5, −0.5 → tie B/C → B (first).
    private static readonly ContinuationScore[] Scores = [new(-4.0, 2), new(-6.0, 4), new(-5.0, 1)];

    [Theory]
    [InlineData(ChoiceNormalization.None, 0)]
    [InlineData(ChoiceNormalization.PerToken, 1)]
    [InlineData(ChoiceNormalization.PerCharacter, 1)]
    public void Prediction_depends_on_normalisation(ChoiceNormalization normalization, int expected) =>
        Assert.Equal(expected, MultipleChoiceScoring.Predict(Scores, Options, normalization));

    [Fact]
    public void Normalised_values_divide_by_tokens_or_characters()
    {
        Assert.Equal(-6.0, MultipleChoiceScoring.Normalized(Scores[1], Options[1], ChoiceNormalization.None));
        Assert.Equal(-1.5, MultipleChoiceScoring.Normalized(Scores[1], Options[1], ChoiceNormalization.PerToken));
        Assert.Equal(-0.5, MultipleChoiceScoring.Normalized(Scores[1], Options[1], ChoiceNormalization.PerCharacter));
    }

    [Fact]
    public void Exact_tie_goes_to_the_first_option() =>
        Assert.Equal(1, MultipleChoiceScoring.Predict([new(-3, 1), new(-2, 1), new(-2, 1)], Options, ChoiceNormalization.None));

    [Fact]
    public void NaN_never_wins_and_all_NaN_gives_no_prediction()
    {
        Assert.Equal(2, MultipleChoiceScoring.Predict([new(double.NaN, 1), new(double.NegativeInfinity, 1), new(-9, 1)], Options, ChoiceNormalization.None));
        Assert.Equal(-1, MultipleChoiceScoring.Predict([new(double.NaN, 1), new(double.NaN, 1), new(double.NaN, 1)], Options, ChoiceNormalization.None));
    }

    [Fact]
    public void Score_count_must_match_option_count() =>
        Assert.Throws<ArgumentException>(() => MultipleChoiceScoring.Predict([new(-1, 1)], Options, ChoiceNormalization.None));

    [Fact]
    public void Character_count_is_code_points_without_the_delimiter()
    {
        Assert.Equal(4, Options[0].CharacterCount);
        Assert.Equal(" cats", Options[0].Continuation);
        Assert.Equal(3, AnswerOption.Create("X", Context, " ", "a😀b").CharacterCount); // the emoji is one code point, two UTF-16 units
    }

    [Fact]
    public void Metric_names_follow_lm_evaluation_harness()
    {
        Assert.Equal("acc", MultipleChoiceScoring.MetricName(ChoiceNormalization.None));
        Assert.Equal("acc_norm", MultipleChoiceScoring.MetricName(ChoiceNormalization.PerCharacter));
        Assert.Equal("acc_per_token", MultipleChoiceScoring.MetricName(ChoiceNormalization.PerToken));
    }
}
