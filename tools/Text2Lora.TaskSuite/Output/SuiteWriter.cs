using System.Text;

namespace Text2Lora.TaskSuite.Output;

/// <summary>
/// Replaces the suite folder as a whole: every file is written into a fresh sibling folder, which then takes
/// the target's place (the old folder is renamed aside first and deleted last). A failure before the swap leaves
/// the previous folder untouched. The folder is owned by the generator: files it does not produce are removed.
/// </summary>
public static class SuiteWriter
{
    /// <summary>The file that marks a folder as a suite folder (guards against overwriting an unrelated folder).</summary>
    public const string MarkerFile = "suite.yaml";

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes <paramref name="files"/> (relative '/'-separated path → text) as the folder <paramref name="outputDirectory"/>.</summary>
    public static void Write(IReadOnlyDictionary<string, string> files, string outputDirectory)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        var target = Path.GetFullPath(outputDirectory).TrimEnd(Path.DirectorySeparatorChar);
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any() && !File.Exists(Path.Combine(target, MarkerFile)))
        {
            throw new IOException($"Refusing to replace '{target}': it is not empty and has no {MarkerFile}, so it is not a task-suite folder.");
        }

        var parent = Path.GetDirectoryName(target) ?? throw new IOException($"'{target}' has no parent folder.");
        Directory.CreateDirectory(parent);
        var name = Path.GetFileName(target);
        var staging = Path.Combine(parent, $".{name}.{Guid.NewGuid():N}.tmp");
        var aside = Path.Combine(parent, $".{name}.{Guid.NewGuid():N}.old");
        try
        {
            foreach (var (relative, text) in files)
            {
                var path = Path.Combine(staging, relative.Replace('/', Path.DirectorySeparatorChar));
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, text, Utf8NoBom);
            }

            if (Directory.Exists(target))
            {
                Directory.Move(target, aside);
            }

            Directory.Move(staging, target);
        }
        catch
        {
            if (!Directory.Exists(target) && Directory.Exists(aside))
            {
                Directory.Move(aside, target);
            }

            TryDelete(staging);
            throw;
        }

        TryDelete(aside);
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
        }
    }
}
