using System.Globalization;

namespace Text2Lora.IO;

/// <summary>
/// How much memory the sizes in an input file may imply before anything is allocated. Every loader estimates the
/// bytes its file's dimensions, counts and shapes imply and refuses with <see cref="InputTooLargeException"/> past
/// <see cref="MaxMemoryBytes"/>, so a corrupted or hostile file fails at once instead of exhausting memory.
/// </summary>
public static class InputLimits
{
    /// <summary>Environment variable that sets <see cref="MaxMemoryBytes"/> at start-up (bytes; suffixes K, M, G, T allowed).</summary>
    public const string EnvironmentVariable = "TEXT2LORA_MAX_MEMORY";

    private static long _maxMemoryBytes = ReadDefault();

    /// <summary>
    /// The largest estimated allocation a file may imply. Default: <see cref="EnvironmentVariable"/> when set,
    /// else the memory available to the process (<see cref="GCMemoryInfo.TotalAvailableMemoryBytes"/>, which honours
    /// container limits). Raise it for models that rely on memory mapping or swap.
    /// </summary>
    public static long MaxMemoryBytes
    {
        get => Volatile.Read(ref _maxMemoryBytes);
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            Volatile.Write(ref _maxMemoryBytes, value);
        }
    }

    /// <summary>Refuses an input whose sizes imply <paramref name="bytes"/> beyond <see cref="MaxMemoryBytes"/>.</summary>
    /// <param name="path">The file the sizes come from.</param>
    /// <param name="field">The field that dominates the estimate, if any.</param>
    /// <param name="bytes">Estimated bytes (a double so products of file values cannot overflow).</param>
    /// <param name="what">What would be allocated, e.g. "the model weights".</param>
    /// <exception cref="InputTooLargeException">The estimate exceeds the limit, or is not a finite number.</exception>
    public static void EnsureFits(string path, string? field, double bytes, string what)
    {
        var limit = MaxMemoryBytes;
        if (!(bytes <= limit))
        {
            throw new InputTooLargeException(path, field, bytes, limit, what);
        }
    }

    internal static string FormatBytes(double bytes) => bytes switch
    {
        double.NaN or double.PositiveInfinity => "an unbounded amount",
        >= 1L << 40 => (bytes / (1L << 40)).ToString("0.#", CultureInfo.InvariantCulture) + " TiB",
        >= 1L << 30 => (bytes / (1L << 30)).ToString("0.#", CultureInfo.InvariantCulture) + " GiB",
        >= 1L << 20 => (bytes / (1L << 20)).ToString("0.#", CultureInfo.InvariantCulture) + " MiB",
        _ => bytes.ToString("0", CultureInfo.InvariantCulture) + " bytes",
    };

    internal static long? ParseSize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        text = text.Trim();
        var multiplier = char.ToUpperInvariant(text[^1]) switch
        {
            'K' => 1L << 10,
            'M' => 1L << 20,
            'G' => 1L << 30,
            'T' => 1L << 40,
            _ => 1L,
        };
        var digits = multiplier == 1 ? text : text[..^1];
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 && value <= long.MaxValue / multiplier
            ? value * multiplier
            : null;
    }

    private static long ReadDefault()
    {
        if (ParseSize(Environment.GetEnvironmentVariable(EnvironmentVariable)) is { } configured)
        {
            return configured;
        }

        var available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return available > 0 ? available : long.MaxValue;
    }
}
