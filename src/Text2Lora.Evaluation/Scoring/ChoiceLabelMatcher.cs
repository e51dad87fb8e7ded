namespace Text2Lora.Evaluation.Scoring;

/// <summary>
/// Reads which choice a generated answer names, for multiple-choice items scored by generation (the T2L reference's
/// evaluation of ARC, HellaSwag, PIQA, WinoGrande, OpenBookQA, BoolQ). The text is normalised as
/// <see cref="AnswerText.Normalize"/>; the chosen option is the one whose (normalised) label starts the text and is not
/// followed by a letter or digit, the longest such label winning ("B: breathing mask" and "b." name B; "Because" names
/// nothing). This is stricter than the reference's <c>get_choice</c>, which compares only the first character (so there
/// "because" would name B and "true"/"false" reduce to "t"/"f").
/// </summary>
public static class ChoiceLabelMatcher
{
    /// <summary>Index in <paramref name="labels"/> of the label <paramref name="generated"/> names, or −1 when none.</summary>
    public static int Match(string generated, IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var text = AnswerText.Normalize(generated);
        var best = -1;
        var bestLength = 0;
        for (var i = 0; i < labels.Count; i++)
        {
            var label = AnswerText.Normalize(labels[i]);
            if (label.Length <= bestLength || !text.StartsWith(label, StringComparison.Ordinal))
            {
                continue;
            }

            if (text.Length > label.Length && char.IsLetterOrDigit(text[label.Length]))
            {
                continue;
            }

            best = i;
            bestLength = label.Length;
        }

        return best;
    }
}
