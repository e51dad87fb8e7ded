using Text2Lora.Evaluation.Abstractions;
using Text2Lora.Evaluation.Items;

namespace Text2Lora.Evaluation.Scoring;

/// <summary>
/// Picks the answer of a multiple-choice item from the log-likelihoods of its continuations. The prediction is the option
/// with the highest (normalised) score; on an exact tie the earliest option wins (numpy's <c>argmax</c>, as in
/// lm-evaluation-harness). A NaN score never wins. Lengths below 1 (an empty choice) are treated as 1.
/// </summary>
public static class MultipleChoiceScoring
{
    /// <summary>The metric name under which each normalisation is reported.</summary>
    public static string MetricName(ChoiceNormalization normalization) => normalization switch
    {
        ChoiceNormalization.None => "acc",
        ChoiceNormalization.PerToken => "acc_per_token",
        ChoiceNormalization.PerCharacter => "acc_norm",
        _ => throw new ArgumentOutOfRangeException(nameof(normalization), normalization, "unknown normalisation"),
    };

    /// <summary>The score of one option under <paramref name="normalization"/>.</summary>
    public static double Normalized(ContinuationScore score, AnswerOption option, ChoiceNormalization normalization)
    {
        ArgumentNullException.ThrowIfNull(score);
        ArgumentNullException.ThrowIfNull(option);
        return normalization switch
        {
            ChoiceNormalization.None => score.LogLikelihood,
            ChoiceNormalization.PerToken => score.LogLikelihood / Math.Max(1, score.TokenCount),
            ChoiceNormalization.PerCharacter => score.LogLikelihood / Math.Max(1, option.CharacterCount),
            _ => throw new ArgumentOutOfRangeException(nameof(normalization), normalization, "unknown normalisation"),
        };
    }

    /// <summary>Index of the predicted option, or −1 when every score is NaN.</summary>
    public static int Predict(IReadOnlyList<ContinuationScore> scores, IReadOnlyList<AnswerOption> options, ChoiceNormalization normalization)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(options);
        if (scores.Count != options.Count)
        {
            throw new ArgumentException($"Got {scores.Count} scores for {options.Count} options.", nameof(scores));
        }

        var best = -1;
        var bestValue = double.NegativeInfinity;
        for (var i = 0; i < scores.Count; i++)
        {
            var value = Normalized(scores[i], options[i], normalization);
            if (double.IsNaN(value))
            {
                continue;
            }

            if (best < 0 || value > bestValue)
            {
                best = i;
                bestValue = value;
            }
        }

        return best;
    }
}
