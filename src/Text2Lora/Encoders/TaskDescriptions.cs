using System.Text;

namespace Text2Lora.Encoders;

/// <summary>
/// Validation of task descriptions (non-empty text) and the whitespace-collapsing format
/// (<see cref="DescriptionFormat.CollapseWhitespace"/>): surrounding whitespace trimmed, every inner run of whitespace
/// (spaces, tabs, newlines) made one space, case preserved.
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
    public static string[] NormalizeAll(IEnumerable<string> descriptions, string parameterName) =>
        [.. Validate(descriptions, parameterName).Select(d => Normalize(d, parameterName))];

    /// <summary>The descriptions unchanged (a copy); the exception names the parameter and the index of a bad entry.</summary>
    /// <exception cref="ArgumentException">An entry is null, empty or whitespace only.</exception>
    public static string[] Validate(IEnumerable<string> descriptions, string parameterName)
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

            result.Add(description);
        }

        return [.. result];
    }
}
