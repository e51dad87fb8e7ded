using System.Buffers.Binary;
using System.Text.Json;

namespace Text2Lora.Tests.Infrastructure;

/// <summary>
/// An independent, deliberately naive decoder of float32 safetensors entries, used as the oracle for
/// checking values read by the library (it shares no code with Text2Lora.IO.Safetensors).
/// </summary>
internal static class RawSafetensors
{
    public static float[] ReadFloat32(string path, string name)
    {
        var bytes = File.ReadAllBytes(path);
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        using var header = JsonDocument.Parse(bytes.AsMemory(8, headerLength));
        var entry = header.RootElement.GetProperty(name);
        Assert.Equal("F32", entry.GetProperty("dtype").GetString());
        var offsets = entry.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var start = 8 + headerLength + offsets[0];
        var count = (offsets[1] - offsets[0]) / 4;
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(start + (4 * i), 4));
        }

        return values;
    }

    /// <summary>Writes a file from a raw header string and data bytes (for crafting malformed files).</summary>
    public static void WriteRaw(string path, string headerJson, byte[] data, ulong? declaredHeaderLength = null)
    {
        var header = System.Text.Encoding.UTF8.GetBytes(headerJson);
        using var stream = File.Create(path);
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, declaredHeaderLength ?? (ulong)header.Length);
        stream.Write(prefix);
        stream.Write(header);
        stream.Write(data);
    }
}
