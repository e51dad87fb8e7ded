namespace Text2Lora.Training.Configuration;

/// <summary>
/// Helpers for <see cref="IConfigFilePaths"/> implementations, including options of other packages read with
/// <see cref="TrainerConfigFile"/> (e.g. the reproduction pipeline's).
/// </summary>
public static class ConfigPaths
{
    /// <summary><paramref name="path"/> made absolute against <paramref name="baseDirectory"/>; empty stays empty.</summary>
    public static string Resolve(string path, string baseDirectory) =>
        string.IsNullOrWhiteSpace(path) || Path.IsPathFullyQualified(path) ? path : Path.GetFullPath(Path.Combine(baseDirectory, path));
}
