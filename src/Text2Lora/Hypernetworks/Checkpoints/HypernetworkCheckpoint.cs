using Text2Lora.IO.Hub;

namespace Text2Lora.Hypernetworks.Checkpoints;

/// <summary>
/// Loads and saves T2L hypernetworks. Two formats: Text2Lora's own (<c>hypernetwork.json</c> +
/// <c>hypernetwork.safetensors</c>, the default for saving, no pickle) and the reference's
/// (<c>hypermod.pt</c> + <c>args.yaml</c> + <c>adapter_config.json</c>; its pickle is checked against an allowlist
/// before it is unpickled; <see cref="SaveReference"/> writes it so the Python reference loads the hypernetwork).
/// </summary>
public static class HypernetworkCheckpoint
{
    /// <summary>Description file of the own format.</summary>
    public const string ConfigFileName = NativeCheckpoint.ConfigFileName;

    /// <summary>Weights file of the own format.</summary>
    public const string WeightsFileName = NativeCheckpoint.WeightsFileName;

    /// <summary>Weights file of the reference format.</summary>
    public const string ReferenceWeightsFileName = ReferenceCheckpoint.WeightsFileName;

    /// <summary>
    /// Loads the hypernetwork at <paramref name="path"/>: an own-format folder, or a reference checkpoint (its
    /// folder or its <c>hypermod.pt</c>).
    /// </summary>
    /// <param name="path">Folder or <c>hypermod.pt</c> file.</param>
    /// <param name="baseModelDirectory">Reference format only: the base model folder whose <c>config.json</c> gives the
    /// layer shapes, overriding <c>args.yaml: model_dir</c> (only config.json is read, never weights).</param>
    /// <param name="hub">Reference format only: resolves an <c>args.yaml: model_dir</c> that names a hub id rather than a
    /// local folder (only its config.json is downloaded); without it such a checkpoint needs <paramref name="baseModelDirectory"/>.</param>
    /// <exception cref="FileNotFoundException">No checkpoint files at <paramref name="path"/>.</exception>
    /// <exception cref="HypernetworkCheckpointException">Malformed or mismatched files; names the file and key.</exception>
    /// <exception cref="IO.Pickle.UnsafePickleException"><c>hypermod.pt</c> would import or call something outside the allowlist.</exception>
    public static T2LHypernetwork Load(string path, string? baseModelDirectory = null, HubModelResolver? hub = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path) && File.Exists(Path.Combine(path, ConfigFileName)))
        {
            return NativeCheckpoint.Load(path);
        }

        if (File.Exists(path) || File.Exists(Path.Combine(path, ReferenceWeightsFileName)))
        {
            return ReferenceCheckpoint.Load(path, baseModelDirectory, hub);
        }

        throw new FileNotFoundException($"'{path}' holds neither a Text2Lora hypernetwork ('{ConfigFileName}') nor a reference T2L checkpoint ('{ReferenceWeightsFileName}').", path);
    }

    /// <summary>Saves <paramref name="hypernetwork"/> in the own format into <paramref name="directory"/> (each file written atomically).</summary>
    public static void Save(T2LHypernetwork hypernetwork, string directory)
    {
        ArgumentNullException.ThrowIfNull(hypernetwork);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        NativeCheckpoint.Save(hypernetwork, directory);
    }

    /// <summary>
    /// Saves <paramref name="hypernetwork"/> in the T2L reference's format (<c>hypermod.pt</c>, <c>args.yaml</c>,
    /// <c>adapter_config.json</c>) into <paramref name="directory"/>, which must be new or empty; the folder is written
    /// under a temporary name and renamed, so it is complete or absent. The reference's
    /// <c>load_hypermod_checkpoint</c> loads it (the base model named by <c>model_dir</c> = <see cref="T2LHypernetwork.BaseModelId"/>).
    /// </summary>
    /// <exception cref="IOException"><paramref name="directory"/> is not empty or is a file.</exception>
    /// <exception cref="NotSupportedException">The reference's arguments cannot describe this hypernetwork (head bias they would not build; no base model id).</exception>
    public static void SaveReference(T2LHypernetwork hypernetwork, string directory)
    {
        ArgumentNullException.ThrowIfNull(hypernetwork);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ReferenceCheckpointWriter.Save(hypernetwork, directory);
    }
}
