namespace Text2Lora.IO.Hub;

/// <summary>
/// Where the hub is and how to reach it. <see cref="FromEnvironment()"/> reads the variables huggingface_hub reads
/// (<c>HF_ENDPOINT</c>, <c>HF_HUB_CACHE</c>, <c>HF_HOME</c>, <c>HF_TOKEN</c>, <c>HF_HUB_OFFLINE</c>), so the cache
/// is shared with Python tools. Pass an instance explicitly (tests, servers) instead of changing the process environment.
/// </summary>
public sealed record HubOptions
{
    /// <summary>The hub's default endpoint.</summary>
    public const string DefaultEndpoint = "https://huggingface.co";

    /// <summary>The hub base address (<c>HF_ENDPOINT</c>).</summary>
    public string Endpoint { get; init; } = DefaultEndpoint;

    /// <summary>The cache root holding <c>models--org--name</c> folders (<c>HF_HUB_CACHE</c> → <c>HF_HOME/hub</c> → <c>~/.cache/huggingface/hub</c>).</summary>
    public string CacheDirectory { get; init; } = DefaultCacheDirectory(_ => null);

    /// <summary>The access token sent as <c>Authorization: Bearer</c> to the endpoint's host (<c>HF_TOKEN</c>, else the <c>HF_HOME/token</c> file).</summary>
    public string? Token { get; init; }

    /// <summary>Use only the cache, never the network (<c>HF_HUB_OFFLINE=1</c>).</summary>
    public bool Offline { get; init; }

    /// <summary>How many times a download interrupted mid-file is resumed (with an HTTP <c>Range</c>) before giving up.</summary>
    public int MaxResumeAttempts { get; init; } = 5;

    /// <summary>The options the current process environment gives.</summary>
    public static HubOptions FromEnvironment() => FromEnvironment(Environment.GetEnvironmentVariable);

    /// <summary>The options the variables read through <paramref name="variable"/> give (same rules as huggingface_hub's <c>constants.py</c>).</summary>
    public static HubOptions FromEnvironment(Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        var home = HfHome(variable);
        var token = NonEmpty(variable("HF_TOKEN")) ?? ReadTokenFile(NonEmpty(variable("HF_TOKEN_PATH")) ?? Path.Combine(home, "token"));
        return new HubOptions
        {
            Endpoint = (NonEmpty(variable("HF_ENDPOINT")) ?? DefaultEndpoint).TrimEnd('/'),
            CacheDirectory = DefaultCacheDirectory(variable),
            Token = token,
            Offline = IsTrue(variable("HF_HUB_OFFLINE")),
        };
    }

    private static string DefaultCacheDirectory(Func<string, string?> variable) =>
        NonEmpty(variable("HF_HUB_CACHE")) ?? Path.Combine(HfHome(variable), "hub");

    private static string HfHome(Func<string, string?> variable) =>
        NonEmpty(variable("HF_HOME"))
        ?? Path.Combine(
            NonEmpty(variable("XDG_CACHE_HOME")) ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"),
            "huggingface");

    private static string? ReadTokenFile(string path)
    {
        try
        {
            return File.Exists(path) ? NonEmpty(File.ReadAllText(path).Trim()) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    // huggingface_hub's _is_true: "1", "ON", "YES", "TRUE" (any case).
    private static bool IsTrue(string? value) =>
        value is not null && new[] { "1", "ON", "YES", "TRUE" }.Contains(value.Trim().ToUpperInvariant());

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
