namespace Text2Lora.TaskSuite.Output;

/// <summary>Compares rendered files with a folder on disk, byte for byte (used by <c>--check</c>).</summary>
public static class SuiteComparer
{
    /// <summary>Human-readable differences: missing, extra and changed files. Empty when identical.</summary>
    public static IReadOnlyList<string> Differences(IReadOnlyDictionary<string, string> files, string directory)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var differences = new List<string>();
        if (!Directory.Exists(directory))
        {
            return [$"folder '{directory}' does not exist"];
        }

        var onDisk = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(directory, p).Replace(Path.DirectorySeparatorChar, '/'))
            .ToHashSet(StringComparer.Ordinal);
        foreach (var (relative, text) in files)
        {
            if (!onDisk.Contains(relative))
            {
                differences.Add($"missing: {relative}");
            }
            else if (!File.ReadAllBytes(Path.Combine(directory, relative)).AsSpan().SequenceEqual(System.Text.Encoding.UTF8.GetBytes(text)))
            {
                differences.Add($"changed: {relative}");
            }
        }

        differences.AddRange(onDisk.Where(p => !files.ContainsKey(p)).Order(StringComparer.Ordinal).Select(p => $"extra: {p}"));
        return differences;
    }
}
