using System.Text;
using System.Text.RegularExpressions;

namespace Text2Lora.TaskSuite.V2;

/// <summary>
/// One phrasing of a task family's descriptions. <c>[a|b|]</c> offers alternative words (an empty alternative
/// drops the part), <c>{slot}</c> is filled with each of the task's renderings of that parameter (for example
/// <c>{k}</c> → "7" and "seven"). Expansion yields every combination, tidied (single spaces, no space before
/// punctuation, capital first letter).
/// </summary>
public sealed class DescriptionTemplate
{
    private readonly List<Part> _parts;

    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <exception cref="FormatException">An unbalanced bracket or brace.</exception>
    public DescriptionTemplate(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        Text = text;
        _parts = Parse(text);
    }

    /// <summary>The template as written.</summary>
    public string Text { get; }

    /// <summary>The slot names the template uses.</summary>
    public IEnumerable<string> Slots => _parts.Where(p => p.Slot is not null).Select(p => p.Slot!);

    /// <summary>Every distinct description the template gives with <paramref name="slots"/> (slot → renderings), in a fixed order.</summary>
    /// <exception cref="InvalidOperationException">A slot of the template has no renderings.</exception>
    public IReadOnlyList<string> Expand(IReadOnlyDictionary<string, IReadOnlyList<string>> slots)
    {
        ArgumentNullException.ThrowIfNull(slots);
        IEnumerable<string> partial = [string.Empty];
        foreach (var part in _parts)
        {
            IReadOnlyList<string> options = part.Slot is null
                ? part.Alternatives!
                : slots.TryGetValue(part.Slot, out var renderings) && renderings.Count > 0
                    ? renderings
                    : throw new InvalidOperationException($"Template '{Text}' uses slot {{{part.Slot}}}, which the task does not define.");
            partial = partial.SelectMany(prefix => options.Select(option => prefix + option)).ToList();
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        return [.. partial.Select(Tidy).Where(seen.Add)];
    }

    /// <summary>
    /// A case-insensitive regular expression that matches the <see cref="PatternKey"/> of every expansion of this
    /// template whatever the slot values (a slot matches any text): used to prove that a description did not come
    /// from this template.
    /// </summary>
    public Regex ToPattern()
    {
        var sb = new StringBuilder("^");
        foreach (var part in _parts)
        {
            sb.Append(part.Slot is not null
                ? "(?:.+?)"
                : "(?:" + string.Join('|', part.Alternatives!.Select(LiteralPattern)) + ")");
        }

        sb.Append('$');
        return new Regex(sb.ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }

    /// <summary>The comparison form of a description (or a template's literal text) for <see cref="ToPattern"/>: lower case, no spaces, no punctuation.</summary>
    public static string PatternKey(string description)
    {
        ArgumentNullException.ThrowIfNull(description);
        return new string([.. description.ToLowerInvariant().Where(c => !char.IsWhiteSpace(c) && c is not ('.' or ',' or '?' or '!' or ':' or ';'))]);
    }

    private static string LiteralPattern(string literal) => Regex.Escape(PatternKey(literal));

    private static string Tidy(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var ch in text.Trim())
        {
            if (ch == ' ' && sb.Length > 0 && sb[^1] == ' ')
            {
                continue;
            }

            if (ch is '.' or ',' or '?' or '!' or ':' && sb.Length > 0 && sb[^1] == ' ')
            {
                sb.Length--;
            }

            sb.Append(ch);
        }

        if (sb.Length > 0 && char.IsLower(sb[0]))
        {
            sb[0] = char.ToUpperInvariant(sb[0]);
        }

        return sb.ToString();
    }

    private static List<Part> Parse(string text)
    {
        var parts = new List<Part>();
        var literal = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (ch is '[' or '{')
            {
                var close = ch == '[' ? ']' : '}';
                var end = text.IndexOf(close, i + 1);
                if (end < 0 || text.IndexOfAny(['[', '{'], i + 1, end - i - 1) >= 0)
                {
                    throw new FormatException($"Template '{text}': unbalanced '{ch}' at {i}.");
                }

                FlushLiteral();
                var inner = text[(i + 1)..end];
                parts.Add(ch == '[' ? new Part([.. inner.Split('|')], null) : new Part(null, inner));
                i = end;
            }
            else if (ch is ']' or '}')
            {
                throw new FormatException($"Template '{text}': unbalanced '{ch}' at {i}.");
            }
            else
            {
                literal.Append(ch);
            }
        }

        FlushLiteral();
        return parts;

        void FlushLiteral()
        {
            if (literal.Length > 0)
            {
                parts.Add(new Part([literal.ToString()], null));
                literal.Clear();
            }
        }
    }

    private sealed record Part(IReadOnlyList<string>? Alternatives, string? Slot);
}
