using static TorchSharp.torch;

namespace Text2Lora.Models;

/// <summary>
/// The precisions a model computes in, by the names config files and the command line use (transformers'
/// <c>torch_dtype</c> names): <c>float32</c> (default), <c>bfloat16</c>, <c>float16</c>.
/// </summary>
public static class ModelDType
{
    /// <summary>Single precision, the default.</summary>
    public const string Float32 = "float32";

    /// <summary>bfloat16: fp32's range with 8 significant bits; what 7–8B bases ship in.</summary>
    public const string BFloat16 = "bfloat16";

    /// <summary>IEEE half precision.</summary>
    public const string Float16 = "float16";

    /// <summary>Every accepted name.</summary>
    public static IReadOnlyList<string> Names { get; } = [Float32, BFloat16, Float16];

    /// <summary>Parses a dtype name (case-insensitive); false for anything else.</summary>
    public static bool TryParse(string? name, out ScalarType dtype)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case Float32:
                dtype = ScalarType.Float32;
                return true;
            case BFloat16:
                dtype = ScalarType.BFloat16;
                return true;
            case Float16:
                dtype = ScalarType.Float16;
                return true;
            default:
                dtype = ScalarType.Float32;
                return false;
        }
    }

    /// <summary>Parses a dtype name.</summary>
    /// <exception cref="ArgumentException">Not one of <see cref="Names"/>.</exception>
    public static ScalarType Parse(string name) =>
        TryParse(name, out var dtype) ? dtype : throw new ArgumentException($"dtype must be one of {string.Join(", ", Names)}; got '{name}'.", nameof(name));

    /// <summary>The name of <paramref name="dtype"/>.</summary>
    /// <exception cref="ArgumentException">Not float32, bfloat16 or float16.</exception>
    public static string NameOf(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => Float32,
        ScalarType.BFloat16 => BFloat16,
        ScalarType.Float16 => Float16,
        _ => throw new ArgumentException($"Models compute in {string.Join(", ", Names)}, not {dtype}.", nameof(dtype)),
    };
}
