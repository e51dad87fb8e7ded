using TorchSharp;

namespace Text2Lora.IO.Safetensors;

/// <summary>Maps safetensors dtype names to TorchSharp scalar types and element sizes.</summary>
internal static class SafetensorsDType
{
    private static readonly Dictionary<string, (torch.ScalarType Type, int Size)> ByName = new(StringComparer.Ordinal)
    {
        ["F64"] = (torch.ScalarType.Float64, 8),
        ["F32"] = (torch.ScalarType.Float32, 4),
        ["F16"] = (torch.ScalarType.Float16, 2),
        ["BF16"] = (torch.ScalarType.BFloat16, 2),
        ["I64"] = (torch.ScalarType.Int64, 8),
        ["I32"] = (torch.ScalarType.Int32, 4),
        ["I16"] = (torch.ScalarType.Int16, 2),
        ["I8"] = (torch.ScalarType.Int8, 1),
        ["U8"] = (torch.ScalarType.Byte, 1),
        ["BOOL"] = (torch.ScalarType.Bool, 1),
    };

    public static bool TryParse(string name, out torch.ScalarType type, out int elementSize)
    {
        if (ByName.TryGetValue(name, out var entry))
        {
            (type, elementSize) = entry;
            return true;
        }

        type = default;
        elementSize = 0;
        return false;
    }

    /// <summary>Bytes per element of <paramref name="type"/> (4 for types safetensors does not name).</summary>
    public static int SizeOf(torch.ScalarType type) =>
        ByName.Values.FirstOrDefault(entry => entry.Type == type) is { Size: > 0 } entry ? entry.Size : 4;

    public static string NameOf(torch.ScalarType type) =>
        ByName.FirstOrDefault(kv => kv.Value.Type == type).Key
        ?? throw new NotSupportedException($"Tensors of dtype {type} cannot be stored in safetensors by Text2Lora.");

    public static IEnumerable<string> Names => ByName.Keys;
}
