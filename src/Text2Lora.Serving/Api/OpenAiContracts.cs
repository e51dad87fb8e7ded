using System.Text.Json;
using System.Text.Json.Serialization;

namespace Text2Lora.Serving.Api;

// The subset of OpenAI's chat-completions wire format the server reads and writes (snake_case JSON).

/// <summary>One message of a chat request.</summary>
internal sealed record ChatMessageDto(string? Role, JsonElement Content);

/// <summary>
/// <c>POST /v1/chat/completions</c>. <see cref="T2lDescription"/> (<c>"t2l_description"</c>) is this server's extension:
/// a task description whose adapter is generated (or taken from the cache) for this request. <see cref="IgnoreEos"/>
/// (<c>"ignore_eos"</c>, as vLLM's server names it) decodes past end-of-sequence tokens up to <c>max_tokens</c>, for
/// benchmarks that need answers of a known length.
/// </summary>
internal sealed record ChatCompletionRequest
{
    public string? Model { get; init; }

    public List<ChatMessageDto>? Messages { get; init; }

    public double? Temperature { get; init; }

    public double? TopP { get; init; }

    public int? MaxTokens { get; init; }

    public int? MaxCompletionTokens { get; init; }

    public JsonElement Stop { get; init; }

    public long? Seed { get; init; }

    public bool Stream { get; init; }

    public int? N { get; init; }

    public string? T2lDescription { get; init; }

    public bool IgnoreEos { get; init; }
}

internal sealed record ChatCompletionResponse(string Id, string Object, long Created, string Model, IReadOnlyList<ChatChoice> Choices, UsageDto Usage);

internal sealed record ChatChoice(int Index, AssistantMessage Message, string FinishReason);

internal sealed record AssistantMessage(string Role, string Content);

internal sealed record UsageDto(int PromptTokens, int CompletionTokens, int TotalTokens);

internal sealed record ChatCompletionChunk(string Id, string Object, long Created, string Model, IReadOnlyList<ChunkChoice> Choices,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] UsageDto? Usage = null);

internal sealed record ChunkChoice(int Index, ChunkDelta Delta, string? FinishReason);

internal sealed record ChunkDelta(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Role,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Content);

internal sealed record ModelList(string Object, IReadOnlyList<ModelEntry> Data);

internal sealed record ModelEntry(string Id, string Object, long Created, string OwnedBy);

internal sealed record AdapterRequest(string? Description);

/// <summary>What the server knows about a generated adapter (<c>GET /v1/adapters/{id}</c>).</summary>
internal sealed record AdapterEntry(string Id, string Object, string Description, long Created, double GenerationMs, int Rank, long Parameters, IReadOnlyList<string> TargetModules, bool Cached);

internal sealed record AdapterList(string Object, IReadOnlyList<AdapterEntry> Data);

internal sealed record ErrorBody(ErrorDetail Error);

internal sealed record ErrorDetail(string Message, string Type, string? Param, string? Code);

internal sealed record HealthReport(string Status, string Model, int QueueLength, int CachedAdapters);

/// <summary>JSON settings of the wire format.</summary>
internal static class OpenAiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
