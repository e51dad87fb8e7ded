namespace Text2Lora.IO.Hub;

/// <summary>The hub answered 401/403: the repository is gated or private and needs a token with access.</summary>
public sealed class HubAccessDeniedException(string repoId, int statusCode, bool tokenSent)
    : HubException(repoId, Describe(repoId, statusCode, tokenSent))
{
    /// <summary>The HTTP status the hub answered.</summary>
    public int StatusCode { get; } = statusCode;

    private static string Describe(string repoId, int statusCode, bool tokenSent) =>
        tokenSent
            ? $"The hub refused access to '{repoId}' (HTTP {statusCode}) with the token given: the repository is gated or private; accept its terms on https://huggingface.co/{repoId} with the account the token belongs to, or use a token that has access."
            : $"The hub refused access to '{repoId}' (HTTP {statusCode}): the repository is gated or private and needs an access token. Set HF_TOKEN (or write the token to $HF_HOME/token, as `huggingface-cli login` does) for an account that accepted its terms.";
}
