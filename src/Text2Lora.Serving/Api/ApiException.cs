using System.Net;

namespace Text2Lora.Serving.Api;

/// <summary>
/// A request the server refuses, rendered as OpenAI's error JSON (<c>{"error":{"message","type","param","code"}}</c>)
/// with <see cref="StatusCode"/>.
/// </summary>
public sealed class ApiException : Exception
{
    /// <summary>Creates the error.</summary>
    public ApiException(HttpStatusCode statusCode, string message, string type = "invalid_request_error", string? param = null, string? code = null)
        : base(message)
    {
        StatusCode = statusCode;
        Type = type;
        Param = param;
        Code = code;
    }

    /// <summary>The HTTP status.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>OpenAI's error type (<c>invalid_request_error</c>, <c>authentication_error</c>, ...).</summary>
    public string Type { get; }

    /// <summary>The request field at fault, when there is one.</summary>
    public string? Param { get; }

    /// <summary>A machine-readable code (<c>model_not_found</c>, <c>context_length_exceeded</c>, ...).</summary>
    public string? Code { get; }

    internal static ApiException BadRequest(string message, string? param = null, string? code = null) =>
        new(HttpStatusCode.BadRequest, message, "invalid_request_error", param, code);
}
