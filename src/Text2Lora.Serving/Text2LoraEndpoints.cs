using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Text2Lora.Serving.Adapters;
using Text2Lora.Serving.Api;
using Text2Lora.Serving.Scheduling;

namespace Text2Lora.Serving;

/// <summary>
/// Maps the server's endpoints: the OpenAI-compatible API under <c>/v1</c> (chat completions, models, adapters),
/// <c>/health</c>, and the web page at <c>/</c>. Register the services first with
/// <see cref="ServingServiceCollectionExtensions.AddText2LoraServing(IServiceCollection, Action{ServingOptions})"/>.
/// </summary>
public static class Text2LoraEndpoints
{
    /// <summary>Maps every endpoint of the Text2Lora server on <paramref name="endpoints"/>.</summary>
    public static IEndpointRouteBuilder MapText2Lora(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var api = endpoints.MapGroup("/v1").AddEndpointFilter(Guard).AddEndpointFilter(RequireApiKey);
        api.MapPost("/chat/completions", ChatCompletions);
        api.MapGet("/models", Models);
        api.MapPost("/adapters", CreateAdapter);
        api.MapGet("/adapters", (ServingEngine engine) => Results.Json(new AdapterList("list", engine.Cache.List()), OpenAiJson.Options));
        api.MapGet("/adapters/{id}", GetAdapter);
        api.MapGet("/adapters/{id}/download", DownloadAdapter);
        endpoints.MapGet("/health", Health);
        StaticPage.Map(endpoints);
        return endpoints;
    }

    /// <summary>Logs every API request with its latency and renders refusals as OpenAI error JSON.</summary>
    private static async ValueTask<object?> Guard(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Text2Lora.Serving.Requests");
        var clock = Stopwatch.StartNew();
        object? result;
        try
        {
            var engine = http.RequestServices.GetRequiredService<ServingEngine>();
            await engine.Ready.ConfigureAwait(false);
            result = await next(context).ConfigureAwait(false);
        }
        catch (ApiException e)
        {
            result = Error(e);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            logger.LogInformation("{Method} {Path} cancelled by the client after {ElapsedMs:F0} ms", http.Request.Method, http.Request.Path.Value, clock.Elapsed.TotalMilliseconds);
            return Results.Empty;
        }
        catch (Exception e) when (e is not OperationCanceledException && !http.Response.HasStarted)
        {
            logger.LogError(e, "{Method} {Path} failed", http.Request.Method, http.Request.Path.Value);
            result = Error(new ApiException(HttpStatusCode.InternalServerError, $"The server failed: {e.Message}", "server_error"));
        }

        logger.LogInformation("{Method} {Path} -> {Status} in {ElapsedMs:F0} ms", http.Request.Method, http.Request.Path.Value,
            result is IStatusCodeHttpResult { StatusCode: { } status } ? status : http.Response.StatusCode, clock.Elapsed.TotalMilliseconds);
        return result;
    }

    private static ValueTask<object?> RequireApiKey(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var key = context.HttpContext.RequestServices.GetRequiredService<ServingOptions>().ApiKey;
        if (key is null)
        {
            return next(context);
        }

        var header = context.HttpContext.Request.Headers.Authorization.ToString();
        var given = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..].Trim() : null;
        if (given is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(key)))
        {
            throw new ApiException(HttpStatusCode.Unauthorized, given is null ? "Missing API key: send 'Authorization: Bearer <key>'." : "Incorrect API key.", "authentication_error", code: "invalid_api_key");
        }

        return next(context);
    }

    internal static IResult Error(ApiException e) =>
        Results.Json(new ErrorBody(new ErrorDetail(e.Message, e.Type, e.Param, e.Code)), OpenAiJson.Options, statusCode: (int)e.StatusCode);

    private static async Task<IResult> ChatCompletions(HttpContext http, ServingEngine engine)
    {
        var request = await ReadBody<ChatCompletionRequest>(http, engine.Options).ConfigureAwait(false);
        var aborted = http.RequestAborted;
        var job = ChatRequestReader.ToJob(request, engine, aborted);
        var modelId = job.Adapter?.Id ?? engine.ModelId;
        var id = "chatcmpl-" + Guid.NewGuid().ToString("N");
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        engine.Enqueue(job);
        if (!request.Stream)
        {
            var outcome = await job.Completion.Task.WaitAsync(aborted).ConfigureAwait(false);
            return Results.Json(
                new ChatCompletionResponse(id, "chat.completion", created, modelId, [new ChatChoice(0, new AssistantMessage("assistant", outcome.Text), outcome.FinishReason)],
                    new UsageDto(outcome.PromptTokens, outcome.CompletionTokens, outcome.PromptTokens + outcome.CompletionTokens)),
                OpenAiJson.Options);
        }

        // Server-sent events in OpenAI's chunk format: a role chunk, content chunks, a finish chunk, then [DONE].
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        async Task Send(object payload)
        {
            await http.Response.WriteAsync("data: " + JsonSerializer.Serialize(payload, OpenAiJson.Options) + "\n\n", aborted).ConfigureAwait(false);
            await http.Response.Body.FlushAsync(aborted).ConfigureAwait(false);
        }

        ChatCompletionChunk Chunk(ChunkDelta delta, string? finish, UsageDto? usage = null) =>
            new(id, "chat.completion.chunk", created, modelId, [new ChunkChoice(0, delta, finish)], usage);

        await Send(Chunk(new ChunkDelta("assistant", ""), null)).ConfigureAwait(false);
        await foreach (var delta in job.Deltas.Reader.ReadAllAsync(aborted).ConfigureAwait(false))
        {
            await Send(Chunk(new ChunkDelta(null, delta), null)).ConfigureAwait(false);
        }

        ChatOutcome done;
        try
        {
            done = await job.Completion.Task.WaitAsync(aborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Headers are sent: report the error as an event, as OpenAI does mid-stream.
            var error = e as ApiException ?? new ApiException(HttpStatusCode.InternalServerError, $"Generation failed: {e.Message}", "server_error");
            await Send(new ErrorBody(new ErrorDetail(error.Message, error.Type, error.Param, error.Code))).ConfigureAwait(false);
            return Results.Empty;
        }

        await Send(Chunk(new ChunkDelta(null, null), done.FinishReason, new UsageDto(done.PromptTokens, done.CompletionTokens, done.PromptTokens + done.CompletionTokens))).ConfigureAwait(false);
        await http.Response.WriteAsync("data: [DONE]\n\n", aborted).ConfigureAwait(false);
        return Results.Empty;
    }

    private static IResult Models(ServingEngine engine)
    {
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var models = new List<ModelEntry> { new(engine.ModelId, "model", created, "text2lora") };
        models.AddRange(engine.Cache.List().Select(a => new ModelEntry(a.Id, "model", a.Created, "text2lora")));
        return Results.Json(new ModelList("list", models), OpenAiJson.Options);
    }

    private static async Task<IResult> CreateAdapter(HttpContext http, ServingEngine engine)
    {
        var request = await ReadBody<AdapterRequest>(http, engine.Options).ConfigureAwait(false);
        ChatRequestReader.CheckDescription(request.Description, engine.Options.MaxDescriptionLength, "description");
        var entry = await engine.GetOrCreateAdapterAsync(request.Description!, http.RequestAborted).WaitAsync(http.RequestAborted).ConfigureAwait(false);
        return Results.Json(entry, OpenAiJson.Options);
    }

    private static IResult GetAdapter(string id, ServingEngine engine) =>
        Results.Json(engine.Cache.Describe(id) ?? throw AdapterNotFound(id), OpenAiJson.Options);

    private static async Task<IResult> DownloadAdapter(string id, HttpContext http, ServingEngine engine)
    {
        var entry = engine.Cache.Describe(id) ?? throw AdapterNotFound(id);
        var zip = await engine.ZipAdapterAsync(new AdapterReference(entry.Id, entry.Description), http.RequestAborted).WaitAsync(http.RequestAborted).ConfigureAwait(false);
        return Results.File(zip, "application/zip", entry.Id + ".zip");
    }

    private static ApiException AdapterNotFound(string id) =>
        new(HttpStatusCode.NotFound, $"No cached adapter has the id '{id}'; create it with POST /v1/adapters {{\"description\": ...}}.", "invalid_request_error", "id", "adapter_not_found");

    private static async Task<IResult> Health(ServingEngine engine)
    {
        var ready = engine.Ready.IsCompletedSuccessfully;
        await Task.CompletedTask.ConfigureAwait(false);
        var report = new HealthReport(ready ? "ok" : engine.Ready.IsFaulted ? "failed" : "loading", engine.ModelId, engine.QueueLength, engine.Cache.Count);
        return Results.Json(report, OpenAiJson.Options, statusCode: ready ? 200 : 503);
    }

    /// <summary>Reads and parses a JSON body of at most <see cref="ServingOptions.MaxRequestBodyBytes"/> bytes.</summary>
    private static async Task<T> ReadBody<T>(HttpContext http, ServingOptions options)
    {
        var limit = options.MaxRequestBodyBytes;
        if (http.Request.ContentLength > limit)
        {
            throw ApiException.BadRequest($"The request body is {http.Request.ContentLength} bytes; the limit is {limit} bytes.");
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw ApiException.BadRequest($"The request body exceeds the limit of {limit} bytes.");
            }

            buffer.Write(chunk, 0, read);
        }

        try
        {
            return JsonSerializer.Deserialize<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), OpenAiJson.Options)
                ?? throw ApiException.BadRequest("The request body must be a JSON object.");
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"The request body is not valid JSON for this endpoint: {e.Message}", e.Path?.TrimStart('$', '.'));
        }
    }
}
