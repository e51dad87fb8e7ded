using Text2Lora.TaskSuite.Generation;
using Text2Lora.TaskSuite.Lexicon;
using Text2Lora.TaskSuite.Tasks;
using Text2Lora.TaskSuite.V2.Lexicon;

namespace Text2Lora.TaskSuite.V2;

/// <summary>
/// Generic pretraining material for suite v2's base model (issue 13, "a base model that has the skills to be
/// steered"): facts about the suite's input spaces and the words descriptions use, as input → output records
/// without a description: number words ↔ digits, ordinals, the alphabet's order, which category a word belongs to,
/// and which character a separator or bracket name means. It is not an instance of any task; pairs that happen to
/// equal a held-out or validation example are left out (the leakage rule), as for the training tasks.
/// </summary>
public static class GenericCorpus
{
    /// <summary>The corpus file's path inside the suite folder.</summary>
    public const string RelativePath = "pretraining/generic.jsonl";

    /// <summary>The records, in a fixed shuffled order, without any pair of <paramref name="reserved"/>.</summary>
    public static IReadOnlyList<TaskExample> Build(IReadOnlySet<TaskExample> reserved)
    {
        ArgumentNullException.ThrowIfNull(reserved);
        var records = new List<TaskExample>();
        for (var n = 0; n <= 99; n++)
        {
            records.Add(new($"{n} in words", NumberWords.ToWords(n)));
            records.Add(new($"{NumberWords.ToWords(n)} in digits", NumberWords.Digits(n)));
        }

        for (var n = 1; n <= 10; n++)
        {
            var (digits, words) = (Ordinals.Renderings(n)[0], Ordinals.Renderings(n)[1]);
            records.Add(new($"{words} as a number", digits));
            records.Add(new($"{digits} in words", words));
        }

        const string alphabet = "abcdefghijklmnopqrstuvwxyz";
        for (var i = 0; i + 1 < alphabet.Length; i++)
        {
            records.Add(new($"letter after {alphabet[i]}", alphabet[(i + 1)..(i + 2)]));
            records.Add(new($"letter before {alphabet[i + 1]}", alphabet[i..(i + 1)]));
        }

        foreach (var category in WordCategory.All)
        {
            records.AddRange(category.Members.Select(word => new TaskExample($"{word} is", category.SingularNames[0])));
        }

        foreach (var separator in Separator.All.Where(s => s.Key != "space"))
        {
            records.AddRange(separator.Singular.Select(name => new TaskExample($"{name} looks like", separator.Symbol)));
        }

        foreach (var wrapper in Wrapper.All)
        {
            records.AddRange(wrapper.Names.Select(name => new TaskExample($"{name} look like", wrapper.Open + " " + wrapper.Close)));
        }

        var kept = records.Where(r => !reserved.Contains(r)).ToList();
        SuiteRandom.ForStream(SuiteV2Settings.Seed, "pretraining/generic").Shuffle(kept);
        return kept;
    }
}
