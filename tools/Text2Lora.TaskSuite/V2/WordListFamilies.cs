using Text2Lora.TaskSuite.V2.Lexicon;

namespace Text2Lora.TaskSuite.V2;

/// <summary>Suite v2's word-list families: a few space-separated words in, one word, some words or the words rejoined out.</summary>
public static class WordListFamilies
{
    /// <summary>All tasks of the word-list families.</summary>
    public static IEnumerable<SuiteV2Task> All() =>
    [
        .. ParameterizedFamily.Build("nth_word", NumberFamilies.Range(1, 6), [4], [], n =>
            new FamilyMember($"nth_word_{n}", $"the word at position {n}", SuiteV2Inputs.WordList(6, 7), l => Words(l)[n - 1],
                LetterFamilies.Parameters(("n", n)), LetterFamilies.Ordinal(n))),
        .. ParameterizedFamily.Build("nth_last_word", NumberFamilies.Range(1, 4), [2], [], n =>
            new FamilyMember($"nth_last_word_{n}", $"the word at position {n} from the end", SuiteV2Inputs.WordList(5, 7), l => Words(l)[^n],
                LetterFamilies.Parameters(("n", n)), LetterFamilies.Ordinal(n))),
        .. ParameterizedFamily.Build("first_words", NumberFamilies.Range(2, 5), [3], [], k =>
            new FamilyMember($"first_{k}_words", $"the first {k} words", SuiteV2Inputs.WordList(6, 7), l => string.Join(' ', Words(l)[..k]),
                LetterFamilies.Parameters(("k", k)), LetterFamilies.Cardinal(k))),
        .. ParameterizedFamily.Build("join_words", Separator.All.Where(s => s.Key != "space").Select(s => s.Key).ToList(), ["slash", "equals"], ["tilde"], key =>
            LetterFamilies.SeparatorMember($"join_words_with_{key}", $"the words joined by '{Separator.Named(key).Symbol}'", SuiteV2Inputs.WordList(3, 4),
                l => string.Join(Separator.Named(key).Symbol, Words(l)), Separator.Named(key), [])),
        .. ParameterizedFamily.Build("keep_category", WordCategory.All.Select(c => c.Key).ToList(), ["vehicles", "body_parts"], ["shapes"], key =>
            Keep(WordCategory.Named(key))),
    ];

    private static FamilyMember Keep(WordCategory category) =>
        new($"keep_{category.Key}", $"only the {category.PluralNames[0]}, in order", SuiteV2Inputs.CategoryList(category),
            l => string.Join(' ', Words(l).Where(category.Members.Contains)),
            new Dictionary<string, string> { ["category"] = category.Key },
            new Dictionary<string, IReadOnlyList<string>> { ["cats"] = category.PluralNames, ["a_cat"] = category.SingularNames });

    private static string[] Words(string list) => list.Split(' ');
}
