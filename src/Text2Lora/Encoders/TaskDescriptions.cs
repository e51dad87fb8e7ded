using System.Text;

namespace Text2Lora.Encoders;

/// <summary>
/// The one place that decides what counts as the same description: surrounding whitespace is trimmed and
/// every inner run of whitespace (spaces, tabs, newlines) becomes one space. Case is preserved, because
/// cased encoders (the base model, gte) embed "US" and "us" differently; an uncased encoder such as MiniLM
/// lower-cases on its own, so preserving case costs it at most a duplicate cache entry.
/// </summary>
internal static class TaskDescriptions
{
    /// <summary>The normalised form of <paramref name="description"/>.</summary>
    /// <exception cref="ArgumentException">It is null, empty or whitespace only.</exception>
    public static string Normalize(string? description, string parameterName)
    {
        if (string.IsNullOrWhiteSpace(description))
        {
            throw new ArgumentException("A task description must contain text; it is empty or whitespace only.", parameterName);
        }

        var builder = new StringBuilder(description.Length);
        var pendingSpace = false;
        foreach (var c in description.AsSpan().Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = true;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>Normalises every description; the exception names the parameter and the index of the bad entry.</summary>
    /// <exception cref="ArgumentException">An entry is null, empty or whitespace only.</exception>
    public static string[] NormalizeAll(IEnumerable<string> descriptions, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(descriptions, parameterName);
        var result = new List<string>();
        foreach (var description in descriptions)
        {
            if (string.IsNullOrWhiteSpace(description))
            {
                throw new ArgumentException(
                    $"Task description {result.Count} must contain text; it is empty or whitespace only.", parameterName);
            }

            result.Add(Normalize(description, parameterName));
        }

        return [.. result];
    }
}
