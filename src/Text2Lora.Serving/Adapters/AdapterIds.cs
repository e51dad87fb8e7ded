using System.Security.Cryptography;
using System.Text;

namespace Text2Lora.Serving.Adapters;

/// <summary>Content-addressed adapter ids: the same exact description always names the same adapter.</summary>
internal static class AdapterIds
{
    /// <summary>Every adapter id starts with this, so it cannot be mistaken for the base model's id.</summary>
    public const string Prefix = "t2l-";

    /// <summary><c>t2l-</c> + the first 16 bytes of SHA-256 over the description's UTF-8 bytes, in lower-case hex.</summary>
    public static string For(string description) =>
        Prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(description)).AsSpan(0, 16));

    /// <summary>Whether <paramref name="model"/> has the shape of an adapter id (it may still be unknown).</summary>
    public static bool LooksLikeAdapterId(string model) => model.StartsWith(Prefix, StringComparison.Ordinal);
}
