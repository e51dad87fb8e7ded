using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using static TorchSharp.torch;

namespace Text2Lora.IO.Safetensors;

/// <summary>Writes safetensors files atomically (temp file + rename), with optional <c>__metadata__</c>.</summary>
public static class SafetensorsWriter
{
    /// <summary>
    /// Writes <paramref name="tensors"/> to <paramref name="path"/>. Tensors are stored in ordinal name order,
    /// contiguous, little-endian; the header is padded with spaces to a multiple of 8 bytes, as the reference does.
    /// </summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var byName = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, tensor) in tensors)
        {
            if (!byName.TryAdd(name, tensor))
            {
                throw new ArgumentException($"Tensor name '{name}' is given more than once.", nameof(tensors));
            }
        }

        WriteCore(path, byName.Select(kv => new SafetensorsTensorLayout(kv.Key, kv.Value.dtype, kv.Value.shape)), name => (byName[name], Owned: false), metadata, nameof(tensors));
    }

    /// <summary>
    /// Writes a file whose tensors are produced one at a time, in ordinal name order, while the file is written:
    /// only one of them is in memory at once (e.g. a checkpoint larger than RAM). <paramref name="produce"/> must
    /// return a tensor of the declared dtype and shape; the writer disposes it after writing.
    /// </summary>
    /// <exception cref="ArgumentException">A name is repeated or reserved, or a produced tensor does not match its layout.</exception>
    public static void Write(string path, IEnumerable<SafetensorsTensorLayout> layout, Func<string, Tensor> produce, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(produce);
        WriteCore(path, layout, name => (produce(name), Owned: true), metadata, nameof(layout));
    }

    private static void WriteCore(string path, IEnumerable<SafetensorsTensorLayout> layout, Func<string, (Tensor Tensor, bool Owned)> tensorOf, IReadOnlyDictionary<string, string>? metadata, string argument)
    {
        var ordered = layout.OrderBy(entry => entry.Name, StringComparer.Ordinal).ToList();
        var duplicate = ordered.GroupBy(entry => entry.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Tensor name '{duplicate.Key}' is given more than once.", argument);
        }

        if (ordered.Any(entry => entry.Name == "__metadata__"))
        {
            throw new ArgumentException("'__metadata__' is reserved and cannot be a tensor name.", argument);
        }

        var header = BuildHeader(ordered, metadata);
        AtomicFile.Write(path, stream =>
        {
            Span<byte> prefix = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
            stream.Write(prefix);
            stream.Write(header);
            foreach (var entry in ordered)
            {
                var (tensor, owned) = tensorOf(entry.Name);
                try
                {
                    if (tensor.dtype != entry.DType || !tensor.shape.SequenceEqual(entry.Shape))
                    {
                        throw new ArgumentException($"Tensor '{entry.Name}' was declared {entry.DType} [{string.Join(", ", entry.Shape)}] but is {tensor.dtype} [{string.Join(", ", tensor.shape)}].", argument);
                    }

                    WriteData(stream, tensor);
                }
                finally
                {
                    if (owned)
                    {
                        tensor.Dispose();
                    }
                }
            }
        });
    }

    private static byte[] BuildHeader(List<SafetensorsTensorLayout> ordered, IReadOnlyDictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject("__metadata__");
                foreach (var (key, value) in metadata.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    json.WriteString(key, value);
                }

                json.WriteEndObject();
            }

            long offset = 0;
            foreach (var entry in ordered)
            {
                var length = entry.ByteLength;
                json.WriteStartObject(entry.Name);
                json.WriteString("dtype", SafetensorsDType.NameOf(entry.DType));
                json.WriteStartArray("shape");
                foreach (var dim in entry.Shape)
                {
                    json.WriteNumberValue(dim);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + length);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += length;
            }

            json.WriteEndObject();
        }

        var padded = (buffer.Length + 7) / 8 * 8;
        while (buffer.Length < padded)
        {
            buffer.WriteByte((byte)' ');
        }

        return buffer.ToArray();
    }

    private static void WriteData(Stream stream, Tensor tensor)
    {
        if (tensor.NumberOfElements == 0)
        {
            return;
        }

        using var scope = NewDisposeScope();
        var cpu = tensor.device_type == TorchSharp.DeviceType.CPU ? tensor : tensor.cpu();
        var contiguous = cpu.is_contiguous() ? cpu : cpu.contiguous();
        using var flat = contiguous.view(-1);
        var chunkElements = (1L << 30) / tensor.ElementSize;
        for (long start = 0; start < flat.NumberOfElements; start += chunkElements)
        {
            var count = Math.Min(chunkElements, flat.NumberOfElements - start);
            using var slice = flat.narrow(0, start, count);
            stream.Write(slice.bytes);
        }
    }
}
