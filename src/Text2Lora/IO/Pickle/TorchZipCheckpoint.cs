using System.IO.Compression;
using System.Text;

namespace Text2Lora.IO.Pickle;

/// <summary>
/// A <c>torch.save</c> zip checkpoint (<c>&lt;stem&gt;/data.pkl</c>, <c>&lt;stem&gt;/data/&lt;n&gt;</c>, ...) checked before
/// anything unpickles it: the pickle must pass <see cref="RestrictedPickleReader"/>.
/// </summary>
internal static class TorchZipCheckpoint
{
    /// <summary>Checks the checkpoint at <paramref name="path"/> and lists its state-dict tensors.</summary>
    /// <exception cref="UnsafePickleException">The pickle imports or calls something outside the allowlist.</exception>
    /// <exception cref="TorchCheckpointFormatException">Not a zip checkpoint, no or several <c>data.pkl</c>, big-endian data.</exception>
    public static IReadOnlyList<TorchTensorEntry> Inspect(string path)
    {
        try
        {
            return InspectArchive(path);
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or NotSupportedException)
        {
            // A damaged entry (bad local header, CRC, compression method) surfaces only when it is read.
            throw new TorchCheckpointFormatException(path, $"the zip archive is damaged: {ex.Message}", ex);
        }
    }

    private static IReadOnlyList<TorchTensorEntry> InspectArchive(string path)
    {
        using var stream = File.OpenRead(path);
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException ex)
        {
            throw new TorchCheckpointFormatException(path, "not a zip file; only the zip format of torch.save (PyTorch ≥ 1.6) is supported.", ex);
        }

        using (archive)
        {
            var pickles = archive.Entries.Where(e => e.FullName == "data.pkl" || e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal)).ToList();
            if (pickles.Count != 1)
            {
                throw new TorchCheckpointFormatException(path, $"expected exactly one '*/data.pkl' entry, found {pickles.Count}.");
            }

            var root = pickles[0].FullName[..^"data.pkl".Length];
            var byteOrder = archive.GetEntry(root + "byteorder");
            if (byteOrder is not null)
            {
                using var reader = new StreamReader(byteOrder.Open(), Encoding.ASCII);
                var order = reader.ReadToEnd().Trim();
                if (order != "little")
                {
                    throw new TorchCheckpointFormatException(path, $"byte order '{order}' is not supported (only little-endian).");
                }
            }

            if (pickles[0].Length > MaxPickleBytes)
            {
                throw new TorchCheckpointFormatException(path, pickles[0].FullName, $"the pickle is {pickles[0].Length} bytes; a state dict's is far below {MaxPickleBytes}.");
            }

            using var pickle = pickles[0].Open();
            using var buffer = new MemoryStream();
            pickle.CopyTo(buffer);
            var entries = RestrictedPickleReader.ReadStateDict(buffer.ToArray(), path, pickles[0].FullName);
            CheckStorages(archive, root, entries, path);
            return entries;
        }
    }

    /// <summary>A pickled state dict holds names and shapes only; its tensor bytes live in separate entries.</summary>
    private const long MaxPickleBytes = 64L << 20;

    /// <summary>
    /// Every tensor's storage entry exists, has the size its storage type and element count imply, and holds the
    /// tensor's view (offset, shape, strides); names are unique; the total fits <see cref="InputLimits"/>. Checked
    /// before any unpickler allocates storage.
    /// </summary>
    private static void CheckStorages(ZipArchive archive, string root, IReadOnlyList<TorchTensorEntry> entries, string path)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var storageBytes = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (!names.Add(entry.Name))
            {
                throw new TorchCheckpointFormatException(path, entry.Name, "the state dict holds this key more than once.");
            }

            var entryName = root + "data/" + entry.StorageKey;
            var data = archive.GetEntry(entryName)
                ?? throw new TorchCheckpointFormatException(path, entry.Name, $"its storage '{entryName}' is missing from the archive.");
            var elementSize = StorageElementSize(entry.StorageType);
            if (entry.StorageElements < 0 || entry.StorageElements > long.MaxValue / elementSize || data.Length != entry.StorageElements * elementSize)
            {
                throw new TorchCheckpointFormatException(path, entry.Name,
                    $"its storage '{entryName}' holds {data.Length} bytes, but the pickle declares {entry.StorageElements} {entry.StorageType} elements.");
            }

            if (entry.RequiredStorageElements() is not { } required || required > entry.StorageElements)
            {
                throw new TorchCheckpointFormatException(path, entry.Name,
                    $"shape [{string.Join(", ", entry.Shape)}] with strides [{string.Join(", ", entry.Stride)}] at offset {entry.StorageOffset} does not fit its storage of {entry.StorageElements} elements.");
            }

            if (!IsRowMajor(entry.Shape, entry.Stride))
            {
                // TorchSharp's reader copies the storage bytes as they lie; a transposed or strided view cannot be read.
                throw new TorchCheckpointFormatException(path, entry.Name,
                    $"shape [{string.Join(", ", entry.Shape)}] has strides [{string.Join(", ", entry.Stride)}], not a contiguous row-major layout; only contiguous tensors can be read (save them with .contiguous()).");
            }

            storageBytes[entryName] = data.Length;
        }

        InputLimits.EnsureFits(path, null, storageBytes.Values.Sum(b => (double)b) * 2, "the checkpoint's tensors (read and copied)");
    }

    /// <summary>Whether the strides are those of a contiguous row-major tensor (dimensions of size 1 may have any stride, as in PyTorch's is_contiguous).</summary>
    private static bool IsRowMajor(IReadOnlyList<long> shape, IReadOnlyList<long> stride)
    {
        if (shape.Any(d => d == 0))
        {
            return true;
        }

        long expected = 1;
        for (var i = shape.Count - 1; i >= 0; i--)
        {
            if (shape[i] != 1 && stride[i] != expected)
            {
                return false;
            }

            expected *= shape[i];
        }

        return true;
    }

    private static long StorageElementSize(string storageType) => storageType switch
    {
        "DoubleStorage" or "LongStorage" => 8,
        "FloatStorage" or "IntStorage" => 4,
        "HalfStorage" or "BFloat16Storage" or "ShortStorage" => 2,
        _ => 1,
    };
}
