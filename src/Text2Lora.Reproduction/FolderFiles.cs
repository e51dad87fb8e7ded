namespace Text2Lora.Reproduction;

/// <summary>Copying an artifact folder's files (artifact folders are flat).</summary>
internal static class FolderFiles
{
    /// <summary>Copies every file of <paramref name="source"/> into <paramref name="destination"/> (created if needed), replacing files of the same name.</summary>
    public static void Copy(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)), overwrite: true);
        }
    }
}
