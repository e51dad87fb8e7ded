namespace Text2Lora.Evaluation.Benchmarks;

/// <summary>The <c>choices: {text: [...], label: [...]}</c> + <c>answerKey</c> schema shared by ARC and OpenBookQA.</summary>
internal sealed record LabeledChoices(IReadOnlyList<string> Labels, IReadOnlyList<string> Texts, int GoldIndex)
{
    private static readonly string[] Letters = ["A", "B", "C", "D"];

    public static LabeledChoices Read(JsonlRecord record)
    {
        var texts = record.StringArray("choices.text");
        var labels = record.StringArray("choices.label");
        if (texts.Count != labels.Count)
        {
            throw record.Error("choices", $"has {texts.Count} texts but {labels.Count} labels.");
        }

        if (texts.Count < 2)
        {
            throw record.Error("choices", $"needs at least 2 choices, found {texts.Count}.");
        }

        if (labels.Distinct(StringComparer.Ordinal).Count() != labels.Count)
        {
            throw record.Error("choices.label", $"labels must be distinct, found [{string.Join(", ", labels)}].");
        }

        var answerKey = record.String("answerKey");
        var gold = labels.ToList().IndexOf(answerKey);
        if (gold < 0)
        {
            throw record.Error("answerKey", $"'{answerKey}' is not one of the labels [{string.Join(", ", labels)}].");
        }

        return new LabeledChoices(labels, texts, gold);
    }

    /// <summary>
    /// Pads to 4 choices with "N/A" as the T2L reference's ARC preprocessing does: new labels continue the numbering
    /// ("4") when the first label is a digit, else the letters A–D. Items with 4 or more choices are unchanged.
    /// </summary>
    public LabeledChoices PadToFour()
    {
        if (Texts.Count >= 4)
        {
            return this;
        }

        var labels = Labels.ToList();
        var texts = Texts.ToList();
        var numeric = char.IsDigit(labels[0][0]);
        for (var i = labels.Count; i < 4; i++)
        {
            labels.Add(numeric ? (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : Letters[i]);
            texts.Add("N/A");
        }

        return new LabeledChoices(labels, texts, GoldIndex);
    }

    /// <summary>"<c>A: text</c>" lines, one per choice, joined by newlines.</summary>
    public string Listing() => string.Join("\n", Labels.Select((label, i) => $"{label}: {Texts[i]}"));
}
