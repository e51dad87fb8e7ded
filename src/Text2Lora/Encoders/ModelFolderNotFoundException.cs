namespace Text2Lora.Encoders;

/// <summary>A model id or path names no local folder and could not be resolved to one.</summary>
public sealed class ModelFolderNotFoundException : DirectoryNotFoundException
{
    /// <summary>Creates the exception for <paramref name="id"/>, listing the folders that were tried.</summary>
    public ModelFolderNotFoundException(string id, IReadOnlyList<string> tried, string? what = null)
        : base($"The {what ?? "model"} '{id}' is not a local folder (tried {string.Join(", ", tried.Select(t => $"'{t}'"))}) and no model resolver could fetch it; download it and pass its folder (e.g. --encoder DIR).")
    {
        Id = id;
        Tried = tried;
    }

    /// <summary>The id or path that was looked for.</summary>
    public string Id { get; }

    /// <summary>The folders that were tried.</summary>
    public IReadOnlyList<string> Tried { get; }
}
