namespace Text2Lora.Encoders;

/// <summary>
/// The default <see cref="IModelFolderResolver"/>: accepts only existing folders and downloads nothing, so an id that
/// is not a local folder fails with a <see cref="ModelFolderNotFoundException"/> naming it.
/// </summary>
public sealed class LocalModelFolderResolver : IModelFolderResolver
{
    /// <summary>The shared instance.</summary>
    public static LocalModelFolderResolver Instance { get; } = new();

    /// <inheritdoc />
    public string Resolve(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Directory.Exists(id) ? Path.GetFullPath(id) : throw new ModelFolderNotFoundException(id, [Path.GetFullPath(id)]);
    }
}
