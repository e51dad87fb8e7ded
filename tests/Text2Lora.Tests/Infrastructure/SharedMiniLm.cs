using Text2Lora.Tests.Infrastructure;
using Text2Lora.Encoders;

namespace Text2Lora.Tests.Infrastructure;

/// <summary>One real MiniLM encoder for the whole test run (loading the ONNX model takes about a second; the encoder is thread-safe).</summary>
internal static class SharedMiniLm
{
    private static readonly Lazy<MiniLmTaskEncoder> Lazy = new(() => new MiniLmTaskEncoder());

    public static MiniLmTaskEncoder Instance => Lazy.Value;
}
