using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace Text2Lora.IO.Safetensors;

/// <summary>
/// Parses and validates a safetensors header: 8-byte little-endian length N, N bytes of UTF-8 JSON,
/// then the data area. Validation follows the reference Rust implementation: every tensor's byte count
/// matches dtype × shape, and the tensors tile the data area exactly (sorted by offset, no gap, no overlap).
/// </summary>
internal sealed class SafetensorsHeader
{
    /// <summary>Headers larger than this are refused before anything is allocated (the reference caps at 100 MB).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    private SafetensorsHeader(long dataStart, IReadOnlyList<SafetensorsTensorInfo> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        DataStart = dataStart;
        Tensors = tensors;
        Metadata = metadata;
    }

    /// <summary>Absolute file offset of the data area (8 + N).</summary>
    public long DataStart { get; }

    /// <summary>Tensors in header order.</summary>
    public IReadOnlyList<SafetensorsTensorInfo> Tensors { get; }

    /// <summary>The <c>__metadata__</c> string map (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    public static SafetensorsHeader Read(Stream stream, string path)
    {
        var fileLength = stream.Length;
        if (fileLength < 8)
        {
            throw new SafetensorsFormatException(path, $"the file is {fileLength} bytes long, shorter than the 8-byte header length prefix.");
        }

        Span<byte> prefix = stackalloc byte[8];
        stream.Position = 0;
        stream.ReadExactly(prefix);
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > (ulong)(fileLength - 8))
        {
            throw new SafetensorsFormatException(path, $"the header length {headerLength} exceeds the {fileLength - 8} bytes that follow the prefix.");
        }

        if (headerLength > MaxHeaderBytes)
        {
            throw new SafetensorsFormatException(path, $"the header length {headerLength} exceeds the limit of {MaxHeaderBytes} bytes.");
        }

        if (headerLength < 2)
        {
            throw new SafetensorsFormatException(path, "the header is too short to hold a JSON object.");
        }

        var json = new byte[headerLength];
        stream.ReadExactly(json);
        var dataLength = fileLength - 8 - (long)headerLength;
        return Parse(json, path, 8 + (long)headerLength, dataLength);
    }

    private static SafetensorsHeader Parse(byte[] json, string path, long dataStart, long dataLength)
    {
        if (json[0] != (byte)'{')
        {
            throw new SafetensorsFormatException(path, "the header does not start with a JSON object '{'.");
        }

        JsonDocument document;
        try
        {
            // Strict UTF-8 check first: JsonDocument replaces nothing, but a clear message helps.
            _ = new UTF8Encoding(false, true).GetCharCount(json);
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (Exception ex) when (ex is JsonException or DecoderFallbackException or ArgumentException)
        {
            throw new SafetensorsFormatException(path, $"the header is not valid UTF-8 JSON ({ex.Message}).", ex);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new SafetensorsFormatException(path, "the header is not a JSON object.");
            }

            var tensors = new List<SafetensorsTensorInfo>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                {
                    throw new SafetensorsFormatException(path, $"the name '{property.Name}' appears more than once in the header.");
                }

                if (property.Name == "__metadata__")
                {
                    ReadMetadata(property.Value, path, metadata);
                    continue;
                }

                tensors.Add(ReadTensor(property.Name, property.Value, path, dataLength));
            }

            CheckTiling(tensors, path, dataLength);
            return new SafetensorsHeader(dataStart, tensors, metadata);
        }
    }

    private static void ReadMetadata(JsonElement element, string path, Dictionary<string, string> metadata)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new SafetensorsFormatException(path, "'__metadata__' must be an object of strings.");
        }

        foreach (var entry in element.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
            {
                throw new SafetensorsFormatException(path, $"'__metadata__.{entry.Name}' must be a string.");
            }

            if (!metadata.TryAdd(entry.Name, entry.Value.GetString()!))
            {
                throw new SafetensorsFormatException(path, $"'__metadata__.{entry.Name}' appears more than once.");
            }
        }
    }

    private static SafetensorsTensorInfo ReadTensor(string name, JsonElement element, string path, long dataLength)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new SafetensorsFormatException(path, $"tensor '{name}': the entry is not an object.");
        }

        if (!element.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
        {
            throw new SafetensorsFormatException(path, $"tensor '{name}': missing string field 'dtype'.");
        }

        var dtype = dtypeElement.GetString()!;
        if (!SafetensorsDType.TryParse(dtype, out var scalarType, out var elementSize))
        {
            throw new SafetensorsFormatException(path, $"tensor '{name}': unknown or unsupported dtype '{dtype}' (supported: {string.Join(", ", SafetensorsDType.Names)}).");
        }

        var shape = ReadIntegers(element, "shape", name, path);
        var offsets = ReadIntegers(element, "data_offsets", name, path);
        if (offsets.Length != 2)
        {
            throw new SafetensorsFormatException(path, $"tensor '{name}': 'data_offsets' must hold exactly two integers.");
        }

        var (begin, end) = (offsets[0], offsets[1]);
        if (end < begin)
        {
            throw new SafetensorsFormatException(path, $"tensor '{name}': data_offsets [{begin}, {end}] end before they begin.");
        }

        if (end > dataLength)
        {
            throw new SafetensorsFormatException(path, $"tensor '{name}': data_offsets [{begin}, {end}] lie outside the {dataLength}-byte data area.");
        }

        long expected;
        try
        {
            expected = checked(shape.Aggregate(1L, (acc, dim) => acc * dim) * elementSize);
        }
        catch (OverflowException ex)
        {
            throw new SafetensorsFormatException(path, $"tensor '{name}': shape [{string.Join(", ", shape)}] overflows a 64-bit byte count.", ex);
        }

        if (expected != end - begin)
        {
            throw new SafetensorsFormatException(path, $"tensor '{name}': shape [{string.Join(", ", shape)}] of {dtype} needs {expected} bytes but data_offsets span {end - begin}.");
        }

        return new SafetensorsTensorInfo(name, dtype, scalarType, shape, begin, end);
    }

    private static long[] ReadIntegers(JsonElement element, string field, string name, string path)
    {
        if (!element.TryGetProperty(field, out var array) || array.ValueKind != JsonValueKind.Array)
        {
            throw new SafetensorsFormatException(path, $"tensor '{name}': missing array field '{field}'.");
        }

        var values = new long[array.GetArrayLength()];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var value) || value < 0)
            {
                throw new SafetensorsFormatException(path, $"tensor '{name}': '{field}' must hold non-negative integers.");
            }

            values[i++] = value;
        }

        return values;
    }

    private static void CheckTiling(List<SafetensorsTensorInfo> tensors, string path, long dataLength)
    {
        var ordered = tensors.OrderBy(t => t.Begin).ThenBy(t => t.End).ToList();
        long expectedBegin = 0;
        foreach (var tensor in ordered)
        {
            if (tensor.Begin < expectedBegin)
            {
                throw new SafetensorsFormatException(path, $"tensor '{tensor.Name}' overlaps the previous tensor (begins at {tensor.Begin}, previous ends at {expectedBegin}).");
            }

            if (tensor.Begin > expectedBegin)
            {
                throw new SafetensorsFormatException(path, $"tensor '{tensor.Name}' begins at {tensor.Begin}, leaving a gap after byte {expectedBegin} of the data area.");
            }

            expectedBegin = tensor.End;
        }

        if (expectedBegin != dataLength)
        {
            throw new SafetensorsFormatException(path, $"the tensors cover {expectedBegin} bytes but the data area holds {dataLength}.");
        }
    }
}
