using Microsoft.Extensions.Logging;

namespace Text2Lora.Encoders;

/// <summary>
/// Finds the folder of a model named by a checkpoint: the name as a path (relative to the working directory, as the
/// reference resolves it), then relative to the checkpoint's folder and each folder above it, then the
/// <see cref="IModelFolderResolver"/> (hub ids). Logs which one was used.
/// </summary>
internal static class ModelFolderSearch
{
    public static string Find(string idOrPath, string? checkpointDirectory, IModelFolderResolver resolver, ILogger logger, string what, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(idOrPath);
        var candidates = new List<(string Path, string How)> { (Path.GetFullPath(idOrPath), Path.IsPathRooted(idOrPath) ? "as given" : "relative to the working directory") };
        if (!Path.IsPathRooted(idOrPath) && checkpointDirectory is not null)
        {
            for (var directory = Path.GetFullPath(checkpointDirectory); directory is not null; directory = Path.GetDirectoryName(directory))
            {
                candidates.Add((Path.GetFullPath(Path.Combine(directory, idOrPath)), $"relative to '{directory}'"));
            }
        }

        foreach (var (path, how) in candidates.DistinctBy(c => c.Path))
        {
            if (Directory.Exists(path))
            {
                logger.LogInformation("Using {What} '{Id}' from {Folder} ({How}).", what, idOrPath, path, how);
                return path;
            }
        }

        string resolved;
        try
        {
            resolved = resolver.Resolve(idOrPath, cancellationToken);
        }
        catch (ModelFolderNotFoundException)
        {
            throw new ModelFolderNotFoundException(idOrPath, [.. candidates.Select(c => c.Path).Distinct()], what);
        }

        logger.LogInformation("Using {What} '{Id}' from {Folder} (resolved by {Resolver}).", what, idOrPath, resolved, resolver.GetType().Name);
        return resolved;
    }
}
