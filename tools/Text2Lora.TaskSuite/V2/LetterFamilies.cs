using Text2Lora.TaskSuite.Lexicon;
using Text2Lora.TaskSuite.V2.Lexicon;

namespace Text2Lora.TaskSuite.V2;

/// <summary>Suite v2's letter families: one lowercase word in, a letter, part of the word or a reformatted word out.</summary>
public static class LetterFamilies
{
    /// <summary>All tasks of the letter families.</summary>
    public static IEnumerable<SuiteV2Task> All()
    {
        var seps = Separator.All.Select(s => s.Key).ToList();
        var combos = (from k in new[] { 2, 3, 4, 5 } from s in new[] { "dash", "comma", "dot", "plus" } select (K: k, S: s)).ToList();
        return
        [
            .. ParameterizedFamily.Build("nth_letter", NumberFamilies.Range(1, 6), [4], [], n =>
                Member($"nth_letter_{n}", $"the letter at position {n}", Math.Max(4, n), w => w[(n - 1)..n], Ordinal(n), ("n", n))),
            .. ParameterizedFamily.Build("nth_last_letter", NumberFamilies.Range(1, 5), [3], [], n =>
                Member($"nth_last_letter_{n}", $"the letter at position {n} from the end", Math.Max(4, n), w => w[^n..][..1], Ordinal(n), ("n", n))),
            .. ParameterizedFamily.Build("first_letters", NumberFamilies.Range(2, 6), [4], [], k =>
                Member($"first_{k}_letters", $"the first {k} letters", k + 1, w => w[..k], Cardinal(k), ("k", k))),
            .. ParameterizedFamily.Build("last_letters", NumberFamilies.Range(2, 5), [3], [], k =>
                Member($"last_{k}_letters", $"the last {k} letters", k + 1, w => w[^k..], Cardinal(k), ("k", k))),
            .. ParameterizedFamily.Build("drop_first_letters", NumberFamilies.Range(2, 5), [3], [], k =>
                Member($"drop_first_{k}_letters", $"the word without its first {k} letters", k + 2, w => w[k..], Cardinal(k), ("k", k))),
            .. ParameterizedFamily.Build("capitalize_letter", NumberFamilies.Range(1, 6), [3], [], n =>
                Member($"capitalize_letter_{n}", $"the word with letter {n} in capitals", Math.Max(4, n),
                    w => w[..(n - 1)] + char.ToUpperInvariant(w[n - 1]) + w[n..], Ordinal(n), ("n", n))),
            .. ParameterizedFamily.Build("repeat_word", NumberFamilies.Range(2, 7), [4], [], k =>
                new FamilyMember($"repeat_word_{k}_times", $"the word {k} times, space-separated", SuiteV2Inputs.Word(3, 5),
                    w => string.Join(' ', Enumerable.Repeat(w, k)), Parameters(("k", k)), Cardinal(k))),
            .. ParameterizedFamily.Build("spell_with", seps, ["slash", "equals"], ["tilde"], key =>
                SeparatorMember($"spell_with_{key}", $"the letters joined by '{Separator.Named(key).Symbol}'", SuiteV2Inputs.Word(3, 8),
                    w => string.Join(Separator.Named(key).Symbol, w.ToCharArray()), Separator.Named(key), [])),
            .. ParameterizedFamily.Build("wrap_word", Wrapper.All.Select(w => w.Key).ToList(), ["curly"], [], key =>
                Wrapped(Wrapper.All.Single(w => w.Key == key))),
            .. ParameterizedFamily.Build<(int K, string S)>("first_letters_joined", combos, [(3, "comma"), (4, "plus"), (5, "dash")], [(2, "dot")], c =>
                SeparatorMember($"first_{c.K}_letters_joined_by_{c.S}", $"the first {c.K} letters joined by '{Separator.Named(c.S).Symbol}'",
                    SuiteV2Inputs.Word(c.K + 1, 8), w => string.Join(Separator.Named(c.S).Symbol, w[..c.K].ToCharArray()), Separator.Named(c.S),
                    [("k", NumberFamilies.Cardinal(c.K), NumberWords.Digits(c.K))])),
        ];
    }

    /// <summary>Slot renderings of a position: <c>n</c> → "4th", "fourth" (the 4th letter); <c>pos</c> → "4", "four" (letter 4).</summary>
    public static Dictionary<string, IReadOnlyList<string>> Ordinal(int n) => new() { ["n"] = Ordinals.Renderings(n), ["pos"] = NumberFamilies.Cardinal(n) };

    /// <summary>Slot renderings of a cardinal: <c>k</c> → "4", "four".</summary>
    public static Dictionary<string, IReadOnlyList<string>> Cardinal(int k) => new() { ["k"] = NumberFamilies.Cardinal(k) };

    /// <summary>Metadata parameters from (name, integer value) pairs.</summary>
    public static Dictionary<string, string> Parameters(params (string Name, int Value)[] values) =>
        values.ToDictionary(v => v.Name, v => NumberWords.Digits(v.Value), StringComparer.Ordinal);

    /// <summary>A member whose slots are a separator's names (<c>sep</c>, <c>seps</c>) plus <paramref name="extra"/>.</summary>
    public static FamilyMember SeparatorMember(
        string name, string summary, Inputs.InputSource inputs, Func<string, string> rule, Separator separator,
        IReadOnlyList<(string Slot, IReadOnlyList<string> Renderings, string Value)> extra)
    {
        ArgumentNullException.ThrowIfNull(separator);
        var slots = new Dictionary<string, IReadOnlyList<string>> { ["sep"] = separator.Singular, ["seps"] = separator.Plural };
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal) { ["separator"] = separator.Key };
        foreach (var (slot, renderings, value) in extra)
        {
            slots[slot] = renderings;
            parameters[slot] = value;
        }

        return new FamilyMember(name, summary, inputs, rule, parameters, slots);
    }

    private static FamilyMember Member(string name, string summary, int minLength, Func<string, string> rule,
        Dictionary<string, IReadOnlyList<string>> slots, (string Name, int Value) parameter) =>
        new(name, summary, SuiteV2Inputs.Word(minLength, 8), rule, Parameters(parameter), slots);

    private static FamilyMember Wrapped(Wrapper wrapper) =>
        new($"wrap_in_{wrapper.Key}", $"the word between '{wrapper.Open}' and '{wrapper.Close}'", SuiteV2Inputs.Word(3, 8),
            w => wrapper.Open + w + wrapper.Close,
            new Dictionary<string, string> { ["wrapper"] = wrapper.Key },
            new Dictionary<string, IReadOnlyList<string>> { ["wrap"] = wrapper.Names });
}
