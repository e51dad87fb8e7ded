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

            using var pickle = pickles[0].Open();
            using var buffer = new MemoryStream();
            pickle.CopyTo(buffer);
            return RestrictedPickleReader.ReadStateDict(buffer.ToArray(), path, pickles[0].FullName);
        }
    }
}
