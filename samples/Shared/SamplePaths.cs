namespace Text2Lora.Samples;

/// <summary>Where the samples find the repository's committed models and data by default.</summary>
internal static class SamplePaths
{
    /// <summary>The repository root (the folder with Text2Lora.sln above the sample's build output), else the current folder.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Text2Lora.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
