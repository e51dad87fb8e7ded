namespace Text2Lora.TextGeneration;

/// <summary>
/// Decode-aware text stop sequences (used by <see cref="TextGenerator"/> and by servers that stream text): where the first stop string occurs in the decoded continuation, and how much of
/// a still-growing continuation can be shown without ever showing text that a later token turns into a stop string.
/// These are the rules <see cref="TextGenerator"/> applies; they are public so that other decoding loops (for example a
/// server that batches several requests, each with its own stop strings) stream and cut text exactly the same way.
/// </summary>
public static class StopStrings
{
    /// <summary>U+FFFD, what a decoder yields for the bytes of a character whose remaining bytes are still to come.</summary>
    private const char Replacement = '\uFFFD';

    /// <summary>Checks the stop strings; throws naming the parameter when one is null or empty.</summary>
    internal static IReadOnlyList<string> Validate(IReadOnlyList<string>? stops, string parameterName)
    {
        if (stops is null)
        {
            return [];
        }

        if (stops.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("Stop strings must not be null or empty.", parameterName);
        }

        return stops;
    }

    /// <summary>Index of the earliest occurrence of any stop string in <paramref name="text"/> (ordinal), or −1.</summary>
    /// <param name="text">The decoded continuation (without the prompt).</param>
    /// <param name="stops">The stop strings; none may be empty.</param>
    /// <returns>Where the continuation must be cut, or −1 when no stop string occurs.</returns>
    public static int FirstMatch(string text, IReadOnlyList<string> stops)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(stops);
        var first = -1;
        foreach (var stop in stops)
        {
            var index = text.IndexOf(stop, StringComparison.Ordinal);
            if (index >= 0 && (first < 0 || index < first))
            {
                first = index;
            }
        }

        return first;
    }

    /// <summary>
    /// How many leading characters of a continuation that contains no stop string yet are final: everything except a
    /// trailing partial character (U+FFFD) and the longest suffix that is the start of some stop string.
    /// </summary>
    /// <param name="text">The decoded continuation so far, in which <see cref="FirstMatch"/> found no stop string.</param>
    /// <param name="stops">The stop strings; none may be empty.</param>
    /// <returns>The length of the prefix that may be shown now and will never be taken back.</returns>
    public static int StreamableLength(string text, IReadOnlyList<string> stops)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(stops);
        var end = text.Length;
        while (end > 0 && text[end - 1] == Replacement)
        {
            end--;
        }

        var held = 0;
        foreach (var stop in stops)
        {
            for (var length = Math.Min(stop.Length - 1, end); length > held; length--)
            {
                if (text.AsSpan(end - length, length).SequenceEqual(stop.AsSpan(0, length)))
                {
                    held = length;
                    break;
                }
            }
        }

        return end - held;
    }
}
