using Text2Lora.IO.Hub;

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

    /// <summary>
    /// A model location in a config file (base model, encoder, hypernetwork): the folder relative to the file when it
    /// exists there, else a hub reference <c>org/name[@revision][:subfolder]</c> kept as given (downloaded when loaded,
    /// by <see cref="LocalModelFolder"/>), else the path made absolute so the loader names it. The command line's rule.
    /// </summary>
    public static string ResolveModel(string path, string baseDirectory)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return path;
        }

        var local = Resolve(path, baseDirectory);
        return Directory.Exists(local) || !HubReference.TryParse(path, out _) ? local : path;
    }

    /// <summary>
    /// The local folder of a model location from a config: a folder as it is, a hub reference resolved into the
    /// Hugging Face cache (<see cref="HubModelResolver"/> with <see cref="HubOptions.FromEnvironment()"/>: HF_ENDPOINT,
    /// HF_TOKEN, HF_HUB_OFFLINE apply).
    /// </summary>
    /// <exception cref="HubException">The reference cannot be resolved; the message says why.</exception>
    public static string LocalModelFolder(string location, ModelFileKind kind, CancellationToken cancellationToken = default) =>
        string.IsNullOrWhiteSpace(location) ? location : new HubModelResolver().Resolve(location, kind, cancellationToken);
}
