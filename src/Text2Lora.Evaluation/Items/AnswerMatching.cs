namespace Text2Lora.Evaluation.Items;

/// <summary>How generated text is compared with a reference answer.</summary>
public enum AnswerMatching
{
    /// <summary>Normalised text equality (see <see cref="Scoring.AnswerText.Matches"/>), with numbers compared by value.</summary>
    ExactText,

    /// <summary>The last number in the generated text equals the reference number (GSM8K style, see <see cref="Scoring.NumericAnswer"/>).</summary>
    NumericValue,

    /// <summary>
    /// The trimmed text equals the reference exactly, case included (a task suite's <c>exact</c> rule, see
    /// <see cref="Text2Lora.Tasks.TaskScoringRules"/>).
    /// </summary>
    CaseSensitiveText,

    /// <summary>The first integer in the generated text equals the reference's (a task suite's <c>numeric</c> rule).</summary>
    FirstInteger,
}
