using System.Text.Json;
using Text2Lora.IO;
using static TorchSharp.torch;

namespace Text2Lora.IO.Safetensors;

/// <summary>
/// The weights of a Hugging Face checkpoint folder: a single <c>model.safetensors</c>, or shards listed by
/// <c>model.safetensors.index.json</c> (<c>weight_map</c>: tensor name → shard file). Shards are opened
/// (header only, memory-mapped) on first use.
/// </summary>
internal sealed class SafetensorsCheckpoint : IDisposable
{
    /// <summary>File name of a single-file checkpoint.</summary>
    public const string SingleFileName = "model.safetensors";

    /// <summary>File name of a sharded checkpoint's index.</summary>
    public const string IndexFileName = "model.safetensors.index.json";

    private readonly string _directory;
    private readonly Dictionary<string, string> _shardOf;
    private readonly Dictionary<string, SafetensorsFile> _open = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    private SafetensorsCheckpoint(string directory, Dictionary<string, string> shardOf)
    {
        _directory = directory;
        _shardOf = shardOf;
    }

    /// <summary>All tensor names of the checkpoint.</summary>
    public IReadOnlyCollection<string> Keys => _shardOf.Keys;

    /// <summary>Whether the checkpoint holds <paramref name="name"/>.</summary>
    public bool Contains(string name) => _shardOf.ContainsKey(name);

    /// <summary>Opens the checkpoint in <paramref name="directory"/> (index file first, else the single file).</summary>
    /// <exception cref="FileNotFoundException">Neither file exists.</exception>
    /// <exception cref="SafetensorsFormatException">The index or a shard header is malformed.</exception>
    public static SafetensorsCheckpoint Open(string directory)
    {
        var indexPath = Path.Combine(directory, IndexFileName);
        var singlePath = Path.Combine(directory, SingleFileName);
        if (File.Exists(indexPath))
        {
            return new SafetensorsCheckpoint(directory, ReadIndex(indexPath, directory));
        }

        if (!File.Exists(singlePath))
        {
            throw new FileNotFoundException($"No '{SingleFileName}' or '{IndexFileName}' in '{directory}'.", singlePath);
        }

        var checkpoint = new SafetensorsCheckpoint(directory, new Dictionary<string, string>(StringComparer.Ordinal));
        var file = checkpoint.OpenShard(SingleFileName);
        foreach (var key in file.Keys)
        {
            checkpoint._shardOf[key] = SingleFileName;
        }

        return checkpoint;
    }

    /// <summary>The header entry of <paramref name="name"/>.</summary>
    public SafetensorsTensorInfo GetInfo(string name) => FileOf(name).GetInfo(name);

    /// <summary>Reads one tensor (see <see cref="SafetensorsFile.ReadTensor"/>).</summary>
    public Tensor ReadTensor(string name, Device? device = null, ScalarType? dtype = null) =>
        FileOf(name).ReadTensor(name, device, dtype);

    /// <summary>Copies one tensor into a preallocated one, converting chunk by chunk (see <see cref="SafetensorsFile.ReadInto"/>).</summary>
    internal void ReadInto(string name, Tensor destination) => FileOf(name).ReadInto(name, destination);

    private SafetensorsFile FileOf(string name)
    {
        if (!_shardOf.TryGetValue(name, out var shard))
        {
            throw new KeyNotFoundException($"Tensor '{name}' is not in the checkpoint at '{_directory}'.");
        }

        var file = OpenShard(shard);
        if (!file.Contains(name))
        {
            throw new SafetensorsFormatException(file.FilePath, $"'{IndexFileName}' maps tensor '{name}' to this shard, but the shard does not hold it.");
        }

        return file;
    }

    private SafetensorsFile OpenShard(string shard)
    {
        lock (_gate)
        {
            if (!_open.TryGetValue(shard, out var file))
            {
                var path = Path.Combine(_directory, shard);
                if (!File.Exists(path))
                {
                    throw new FileNotFoundException($"Shard '{shard}' named by '{IndexFileName}' is missing from '{_directory}'.", path);
                }

                file = SafetensorsFile.Open(path);
                _open[shard] = file;
            }

            return file;
        }
    }

    private static Dictionary<string, string> ReadIndex(string indexPath, string directory)
    {
        try
        {
            using var document = StrictJson.ParseDocument(File.ReadAllBytes(indexPath));
            if (!document.RootElement.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
            {
                throw new SafetensorsFormatException(indexPath, "missing object field 'weight_map'.");
            }

            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in map.EnumerateObject())
            {
                var shard = entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString()! : null;
                if (string.IsNullOrEmpty(shard) || Path.IsPathRooted(shard) || shard.Contains("..", StringComparison.Ordinal))
                {
                    throw new SafetensorsFormatException(indexPath, $"'weight_map.{entry.Name}' must name a shard file inside '{directory}'.");
                }

                if (!result.TryAdd(entry.Name, shard))
                {
                    throw new SafetensorsFormatException(indexPath, $"'weight_map' lists '{entry.Name}' more than once.");
                }
            }

            return result;
        }
        catch (JsonException ex)
        {
            throw new SafetensorsFormatException(indexPath, $"invalid JSON ({ex.Message}).", ex);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var file in _open.Values)
            {
                file.Dispose();
            }

            _open.Clear();
        }
    }
}
