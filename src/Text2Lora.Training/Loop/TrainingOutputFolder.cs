using System.Globalization;
using Text2Lora.IO;

namespace Text2Lora.Training.Loop;

/// <summary>
/// Checks a training run's output folder before anything is loaded: a folder that already holds files (a previous run's
/// checkpoint, weights, metrics) is refused unless the run resumes it or <c>overwrite</c> is asked for, in which case the
/// old folder is moved aside (never deleted). The folder must be writable.
/// </summary>
public static class TrainingOutputFolder
{
    /// <summary>Prepares <paramref name="directory"/> for a run; returns where a previous run was moved, if it was.</summary>
    /// <param name="directory">The run's output folder.</param>
    /// <param name="resume">The run continues the folder's checkpoint: its contents are expected and kept.</param>
    /// <param name="overwrite">Move an existing non-empty folder aside to <c>&lt;folder&gt;.previous-&lt;UTC time&gt;</c> and start afresh.</param>
    /// <exception cref="OutputFolderException">The folder holds a previous run and neither flag is set, names a file, or is not writable.</exception>
    public static string? Prepare(string directory, bool resume, bool overwrite)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        if (File.Exists(full))
        {
            throw new OutputFolderException(full, $"The output '{full}' is an existing file, not a folder; choose another --output.");
        }

        string? movedTo = null;
        if (!resume && Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any())
        {
            if (!overwrite)
            {
                var entries = Directory.EnumerateFileSystemEntries(full).Select(Path.GetFileName).Order(StringComparer.Ordinal).Take(5);
                throw new OutputFolderException(full,
                    $"The output folder '{full}' already holds files ({string.Join(", ", entries)}); pass --resume to continue that run, " +
                    "--overwrite to move it aside and start again, or choose another --output.");
            }

            movedTo = $"{full}.previous-{DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}";
            for (var suffix = 2; Directory.Exists(movedTo) || File.Exists(movedTo); suffix++)
            {
                movedTo = $"{full}.previous-{DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}-{suffix}";
            }

            Directory.Move(full, movedTo);
        }

        EnsureWritable(full);
        return movedTo;
    }

    /// <summary>Creates <paramref name="directory"/> and writes and removes a probe file in it.</summary>
    /// <exception cref="OutputFolderException">The folder cannot be created or written.</exception>
    public static void EnsureWritable(string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
            var probe = Path.Combine(directory, $".write-probe-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new OutputFolderException(directory, $"The output folder '{directory}' is not writable: {ex.Message}", ex);
        }
    }
}
