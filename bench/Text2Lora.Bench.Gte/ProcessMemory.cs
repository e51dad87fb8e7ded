using System.Globalization;

namespace Text2Lora.Bench.Gte;

/// <summary>This process's resident memory from <c>/proc/self/status</c> (Linux).</summary>
internal static class ProcessMemory
{
    /// <summary>Current resident set size in bytes.</summary>
    public static long Resident => Status("VmRSS");

    /// <summary>Peak resident set size in bytes since the start or the last <see cref="ResetPeak"/>.</summary>
    public static long Peak => Status("VmHWM");

    /// <summary>Resets the peak (VmHWM) to the current RSS.</summary>
    public static void ResetPeak() => File.WriteAllText("/proc/self/clear_refs", "5");

    /// <summary>The 1-, 5- and 15-minute load averages, as the kernel prints them.</summary>
    public static string LoadAverage => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    private static long Status(string field)
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }
}
