using System.Text.Json;
using System.Text.Json.Nodes;

namespace Text2Lora.IO;

/// <summary>
/// JSON reading options shared by every loader: duplicate property names are a format error (System.Text.Json
/// otherwise keeps the last one, or throws an untyped <see cref="ArgumentException"/> from <see cref="JsonObject"/>).
/// </summary>
public static class StrictJson
{
    /// <summary>Document options: duplicates refused, trailing commas and comments tolerated as Hugging Face files sometimes have them.</summary>
    public static JsonDocumentOptions DocumentOptions { get; } = new()
    {
        AllowDuplicateProperties = false,
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
    };

    /// <summary>Parses a JSON document; throws <see cref="JsonException"/> for malformed text or duplicate keys.</summary>
    public static JsonNode? ParseNode(string json) => JsonNode.Parse(json, documentOptions: DocumentOptions);

    /// <summary>Parses one JSON document; throws <see cref="JsonException"/> for malformed text or duplicate keys.</summary>
    public static JsonDocument ParseDocument(string json) => JsonDocument.Parse(json, DocumentOptions);

    /// <summary>Parses one JSON document from bytes.</summary>
    public static JsonDocument ParseDocument(ReadOnlyMemory<byte> json) => JsonDocument.Parse(json, DocumentOptions);

    /// <summary>Serializer options derived from <paramref name="options"/> with duplicate properties refused.</summary>
    public static JsonSerializerOptions Strict(JsonSerializerOptions options) =>
        new(options) { AllowDuplicateProperties = false };
}
