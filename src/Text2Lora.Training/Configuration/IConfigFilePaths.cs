namespace Text2Lora.Training.Configuration;

/// <summary>
/// Options that name files or folders. <see cref="TrainerConfigFile.Load{TOptions}"/> calls
/// <see cref="ResolvePaths"/> with the config file's folder, so relative paths in a config file are relative to the
/// file itself, wherever the command runs.
/// </summary>
public interface IConfigFilePaths
{
    /// <summary>Makes every relative path absolute against <paramref name="baseDirectory"/>.</summary>
    void ResolvePaths(string baseDirectory);
}
