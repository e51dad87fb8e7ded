using System.Text.Json;
using Text2Lora.Serving.Adapters;
using Text2Lora.Serving.Scheduling;
using Text2Lora.Tokenization.ChatTemplates;

namespace Text2Lora.Serving.Api;

/// <summary>Validates a chat-completions request against the limits and turns it into a <see cref="ChatJob"/>.</summary>
internal static class ChatRequestReader
{
    public static ChatJob ToJob(ChatCompletionRequest request, ServingEngine engine, CancellationToken cancellationToken)
    {
        var options = engine.Options;
        if (request.Messages is not { Count: > 0 })
        {
            throw ApiException.BadRequest("'messages' must hold at least one message.", "messages");
        }

        if (request.N is { } n && n != 1)
        {
            throw ApiException.BadRequest($"'n' must be 1 (got {n}); ask for more completions with more requests.", "n");
        }

        var temperature = request.Temperature ?? 0;
        if (!(temperature >= 0 && temperature <= 2))
        {
            throw ApiException.BadRequest($"'temperature' must be between 0 and 2 (got {temperature}).", "temperature");
        }

        var topP = request.TopP ?? 1;
        if (!(topP > 0 && topP <= 1))
        {
            throw ApiException.BadRequest($"'top_p' must be in (0, 1] (got {topP}).", "top_p");
        }

        var stops = ReadStops(request.Stop, options.MaxStopSequences);
        var turns = request.Messages.Select((m, i) => ToTurn(m, i)).ToList();
        var adapter = ResolveAdapter(request, engine);

        IReadOnlyList<int> prompt;
        try
        {
            prompt = ChatPrompt.Encode(engine.Tokenizer, engine.Template, turns);
        }
        catch (ArgumentException e)
        {
            throw ApiException.BadRequest($"The messages do not fit the model's chat template: {e.Message}", "messages");
        }

        var context = engine.ContextLength;
        var room = context - prompt.Count;
        if (room < 1)
        {
            throw ApiException.BadRequest($"The prompt is {prompt.Count} tokens; the model's context is {context} tokens, which leaves no room for an answer. Shorten the messages.", "messages", "context_length_exceeded");
        }

        var asked = request.MaxCompletionTokens ?? request.MaxTokens;
        if (asked is { } max)
        {
            if (max < 1 || max > options.MaxTokensLimit)
            {
                throw ApiException.BadRequest($"'max_tokens' must be between 1 and {options.MaxTokensLimit} (got {max}).", "max_tokens");
            }

            if (max > room)
            {
                throw ApiException.BadRequest($"The prompt is {prompt.Count} tokens and 'max_tokens' is {max}; together they exceed the model's context of {context} tokens. Ask for at most {room} tokens or shorten the messages.", "max_tokens", "context_length_exceeded");
            }
        }

        var maxTokens = asked ?? Math.Min(options.DefaultMaxTokens, room);
        return new ChatJob(prompt, maxTokens, stops, BatchKey.For(temperature, topP, request.Seed, request.IgnoreEos), adapter, request.Stream, cancellationToken);
    }

    /// <summary>
    /// The adapter a request asks for: <c>t2l_description</c> (generated on the fly, then cached), or <c>model</c> naming
    /// a cached adapter id; the base model's id (or no model) means no adapter.
    /// </summary>
    private static AdapterReference? ResolveAdapter(ChatCompletionRequest request, ServingEngine engine)
    {
        var model = request.Model;
        var namesAdapter = !string.IsNullOrEmpty(model) && model != engine.ModelId;
        if (request.T2lDescription is { } description)
        {
            CheckDescription(description, engine.Options.MaxDescriptionLength, "t2l_description");
            if (namesAdapter && model != AdapterIds.For(description))
            {
                throw ApiException.BadRequest($"'model' is '{model}' but 't2l_description' asks for another adapter; give 'model': '{engine.ModelId}' (or none) with a description.", "model");
            }

            return new AdapterReference(AdapterIds.For(description), description);
        }

        if (!namesAdapter)
        {
            return null;
        }

        var entry = AdapterIds.LooksLikeAdapterId(model!) ? engine.Cache.Describe(model!) : null;
        return entry is null
            ? throw new ApiException(System.Net.HttpStatusCode.NotFound, $"The model '{model}' does not exist: use '{engine.ModelId}' or the id of a cached adapter (POST /v1/adapters, GET /v1/models).", "invalid_request_error", "model", "model_not_found")
            : new AdapterReference(entry.Id, entry.Description);
    }

    public static void CheckDescription(string? description, int maxLength, string param)
    {
        if (string.IsNullOrWhiteSpace(description))
        {
            throw ApiException.BadRequest($"'{param}' must be a non-empty task description.", param);
        }

        if (description.Length > maxLength)
        {
            throw ApiException.BadRequest($"'{param}' is {description.Length} characters; the limit is {maxLength}.", param);
        }
    }

    private static ChatTurn ToTurn(ChatMessageDto message, int index)
    {
        var role = message.Role switch
        {
            "system" or "developer" => "system",
            "user" => "user",
            "assistant" => "assistant",
            _ => throw ApiException.BadRequest($"messages[{index}].role '{message.Role}' is not supported; use system, user or assistant.", $"messages[{index}].role"),
        };
        return new ChatTurn(role, ContentText(message.Content, index));
    }

    /// <summary>A message's text: a string, or an array of content parts of which only <c>text</c> parts are accepted.</summary>
    private static string ContentText(JsonElement content, int index)
    {
        switch (content.ValueKind)
        {
            case JsonValueKind.String:
                return content.GetString()!;
            case JsonValueKind.Array:
                var text = new System.Text.StringBuilder();
                foreach (var part in content.EnumerateArray())
                {
                    if (part.ValueKind != JsonValueKind.Object || !part.TryGetProperty("type", out var type) || type.GetString() != "text"
                        || !part.TryGetProperty("text", out var value) || value.ValueKind != JsonValueKind.String)
                    {
                        throw ApiException.BadRequest($"messages[{index}].content: only text parts are supported.", $"messages[{index}].content");
                    }

                    text.Append(value.GetString());
                }

                return text.ToString();
            default:
                throw ApiException.BadRequest($"messages[{index}].content must be a string or an array of text parts.", $"messages[{index}].content");
        }
    }

    private static IReadOnlyList<string> ReadStops(JsonElement stop, int maxStops)
    {
        string[] stops = stop.ValueKind switch
        {
            JsonValueKind.Undefined or JsonValueKind.Null => [],
            JsonValueKind.String => [stop.GetString()!],
            JsonValueKind.Array when stop.EnumerateArray().All(s => s.ValueKind == JsonValueKind.String) => [.. stop.EnumerateArray().Select(s => s.GetString()!)],
            _ => throw ApiException.BadRequest("'stop' must be a string or an array of strings.", "stop"),
        };
        if (stops.Length > maxStops || stops.Any(string.IsNullOrEmpty))
        {
            throw ApiException.BadRequest($"'stop' takes at most {maxStops} non-empty strings.", "stop");
        }

        return stops;
    }
}
