using System.IO.Compression;
using System.Text;

namespace Text2Lora.Tests.Infrastructure;

/// <summary>
/// Writes a <c>torch.save</c>-style zip holding a float32 state dict, with every pickle field under the caller's
/// control (storage key, element count, offset, shape, strides), so tests can build the malformed checkpoints a
/// real <c>torch.save</c> never writes. Protocol 2 opcodes, as in PyTorch's own pickles.
/// </summary>
internal static class TorchSaveWriter
{
    /// <summary>One state-dict entry.</summary>
    internal sealed record Entry(string Name, string StorageKey, long StorageElements, long Offset, long[] Shape, long[] Stride);

    /// <summary>A contiguous entry of <paramref name="shape"/> in its own storage <paramref name="key"/>.</summary>
    public static Entry Contiguous(string name, string key, params long[] shape)
    {
        var stride = new long[shape.Length];
        long step = 1;
        for (var i = shape.Length - 1; i >= 0; i--)
        {
            stride[i] = step;
            step *= shape[i];
        }

        return new Entry(name, key, step, 0, shape, stride);
    }

    /// <summary>Writes the zip; <paramref name="storageBytes"/> maps storage key → bytes (default: zeros of the declared size).</summary>
    public static void Write(string path, IReadOnlyList<Entry> entries, IReadOnlyDictionary<string, byte[]>? storageBytes = null)
    {
        using var stream = File.Create(path);
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create);
        const string Stem = "archive";
        WriteEntry(zip, $"{Stem}/data.pkl", Pickle(entries));
        WriteEntry(zip, $"{Stem}/byteorder", Encoding.ASCII.GetBytes("little"));
        foreach (var entry in entries.DistinctBy(e => e.StorageKey))
        {
            var bytes = storageBytes?.GetValueOrDefault(entry.StorageKey) ?? new byte[entry.StorageElements * sizeof(float)];
            WriteEntry(zip, $"{Stem}/data/{entry.StorageKey}", bytes);
        }
    }

    /// <summary>The state-dict pickle alone.</summary>
    public static byte[] Pickle(IReadOnlyList<Entry> entries)
    {
        var p = new List<byte> { 0x80, 0x02 };
        p.AddRange(Ascii("ccollections\nOrderedDict\n"));
        p.Add((byte)')');
        p.Add((byte)'R');
        foreach (var entry in entries)
        {
            p.AddRange(BinUnicode(entry.Name));
            p.AddRange(Ascii("ctorch._utils\n_rebuild_tensor_v2\n"));
            p.Add((byte)'(');
            p.Add((byte)'(');
            p.AddRange(BinUnicode("storage"));
            p.AddRange(Ascii("ctorch\nFloatStorage\n"));
            p.AddRange(BinUnicode(entry.StorageKey));
            p.AddRange(BinUnicode("cpu"));
            p.AddRange(BinInt(entry.StorageElements));
            p.Add((byte)'t');
            p.Add((byte)'Q');
            p.AddRange(BinInt(entry.Offset));
            p.AddRange(Tuple(entry.Shape));
            p.AddRange(Tuple(entry.Stride));
            p.Add(0x89);
            p.AddRange(Ascii("ccollections\nOrderedDict\n"));
            p.Add((byte)')');
            p.Add((byte)'R');
            p.Add((byte)'t');
            p.Add((byte)'R');
            p.Add((byte)'s');
        }

        p.Add((byte)'.');
        return [.. p];
    }

    private static void WriteEntry(ZipArchive zip, string name, byte[] bytes)
    {
        using var entry = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
        entry.Write(bytes);
    }

    private static IEnumerable<byte> Tuple(long[] values) =>
        new[] { (byte)'(' }.Concat(values.SelectMany(BinInt)).Append((byte)'t');

    private static byte[] BinInt(long value) => [(byte)'J', .. BitConverter.GetBytes(checked((int)value))];

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    private static byte[] BinUnicode(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return [(byte)'X', .. BitConverter.GetBytes(bytes.Length), .. bytes];
    }
}
