using Text2Lora.Evaluation.Scoring;

namespace Text2Lora.Evaluation.Running;

/// <summary>Settings of one evaluation run.</summary>
public sealed record EvaluationOptions
{
    /// <summary>How multiple-choice items are scored. Default: log-likelihood.</summary>
    public ScoringMethod MultipleChoiceScoring { get; init; } = ScoringMethod.LogLikelihood;

    /// <summary>
    /// The normalisation whose accuracy is the run's primary metric under log-likelihood scoring (all three are always
    /// computed and reported). Default: none (<c>acc</c>).
    /// </summary>
    public ChoiceNormalization Normalization { get; init; } = ChoiceNormalization.None;

    /// <summary>Token limit for free-generation items (GSM8K reasoning needs a few hundred). Default 256.</summary>
    public int MaxNewTokens { get; init; } = 256;

    /// <summary>Token limit when a multiple-choice item is answered by generation (a label is a token or two). Default 8.</summary>
    public int MaxChoiceAnswerTokens { get; init; } = 8;

    /// <summary>Checks the values; throws naming the option.</summary>
    public void Validate()
    {
        if (MaxNewTokens < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxNewTokens), MaxNewTokens, "must be at least 1.");
        }

        if (MaxChoiceAnswerTokens < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxChoiceAnswerTokens), MaxChoiceAnswerTokens, "must be at least 1.");
        }

        if (!Enum.IsDefined(MultipleChoiceScoring))
        {
            throw new ArgumentOutOfRangeException(nameof(MultipleChoiceScoring), MultipleChoiceScoring, "unknown scoring method.");
        }

        if (!Enum.IsDefined(Normalization))
        {
            throw new ArgumentOutOfRangeException(nameof(Normalization), Normalization, "unknown normalisation.");
        }
    }
}
