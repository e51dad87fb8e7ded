using Text2Lora.IO.Safetensors;
using static TorchSharp.torch;

namespace Text2Lora.Encoders;

/// <summary>
/// Task embeddings on disk: a safetensors file holding <c>task_embedding</c>, float32 [N, D], exactly what a
/// hypernetwork receives (after the description format and the encoder's scaling). Written by <c>t2l embed</c>, read
/// by <c>t2l generate --task-embedding</c>: for parity checks against other implementations and for caching.
/// </summary>
public static class TaskEmbeddingFile
{
    /// <summary>The tensor name.</summary>
    public const string TensorName = "task_embedding";

    /// <summary>Writes <paramref name="embeddings"/> [N, D] as float32 to <paramref name="path"/> (temp file + rename).</summary>
    /// <param name="embeddings">The embeddings.</param>
    /// <param name="path">The file.</param>
    /// <param name="metadata">Optional string metadata (e.g. the encoder id and description format).</param>
    /// <exception cref="ArgumentException">The tensor is not a matrix.</exception>
    public static void Save(Tensor embeddings, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (embeddings.dim() != 2)
        {
            throw new ArgumentException($"Task embeddings must be a matrix [N, D]; got [{string.Join(", ", embeddings.shape)}].", nameof(embeddings));
        }

        using var cpu = embeddings.to(ScalarType.Float32, CPU).contiguous();
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        var header = new Dictionary<string, string> { ["format"] = "pt" };
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
        {
            header[key] = value;
        }

        SafetensorsWriter.Write(path, [new KeyValuePair<string, Tensor>(TensorName, cpu)], header);
    }

    /// <summary>Reads <c>task_embedding</c> float32 [N, <paramref name="size"/>] (any N ≥ 1); the caller owns the tensor.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="SafetensorsFormatException">No such tensor, or another dtype or shape; names the file.</exception>
    public static Tensor Load(string path, int size)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Task-embedding file '{path}' does not exist.", path);
        }

        using var file = SafetensorsFile.Open(path);
        if (!file.Contains(TensorName))
        {
            throw new SafetensorsFormatException(path, $"it holds no '{TensorName}' tensor (keys: {string.Join(", ", file.Keys)}).");
        }

        var embedding = file.ReadTensor(TensorName);
        if (embedding.dtype != ScalarType.Float32 || embedding.dim() != 2 || embedding.shape[0] < 1 || embedding.shape[1] != size)
        {
            var problem = $"'{TensorName}' is {embedding.dtype} [{string.Join(", ", embedding.shape)}]; the hypernetwork needs float32 [N, {size}].";
            embedding.Dispose();
            throw new SafetensorsFormatException(path, problem);
        }

        return embedding;
    }
}
