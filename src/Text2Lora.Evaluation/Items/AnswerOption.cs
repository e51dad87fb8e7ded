using System.Text;
using Text2Lora.Evaluation.Abstractions;

namespace Text2Lora.Evaluation.Items;

/// <summary>One choice of a multiple-choice item, as the log-likelihood scorer sees it.</summary>
/// <param name="Label">The choice's name in results and generated answers ("A", "0", "true", "1"...).</param>
/// <param name="Context">The prompt the continuation is scored after (the same for every option, except WinoGrande's partial scoring).</param>
/// <param name="Continuation">The scored text, including its leading delimiter (e.g. <c>" breathing mask"</c>).</param>
/// <param name="CharacterCount">
/// Length used by per-character normalisation: Unicode code points of the choice text without the delimiter, as
/// lm-evaluation-harness's <c>acc_norm</c> divides by <c>len(choice)</c>.
/// </param>
public sealed record AnswerOption(string Label, EvaluationPrompt Context, string Continuation, int CharacterCount)
{
    /// <summary>Builds an option whose continuation is <paramref name="delimiter"/> + <paramref name="choiceText"/>.</summary>
    public static AnswerOption Create(string label, EvaluationPrompt context, string delimiter, string choiceText)
    {
        ArgumentNullException.ThrowIfNull(choiceText);
        return new AnswerOption(label, context, delimiter + choiceText, CountCodePoints(choiceText));
    }

    /// <summary>Unicode code points in <paramref name="text"/> (Python's <c>len</c> of a str).</summary>
    internal static int CountCodePoints(string text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            count++;
        }

        return count;
    }
}
