namespace Text2Lora.IO.Hub;

/// <summary>Offline mode (<c>HF_HUB_OFFLINE=1</c>) and the cache does not hold what was asked for.</summary>
public sealed class HubOfflineCacheMissException(string repoId, string what, string cachePath)
    : HubException(repoId, $"Offline mode (HF_HUB_OFFLINE=1): {what} of '{repoId}' is not in the cache (looked in '{cachePath}'). Download it once online, or unset HF_HUB_OFFLINE.")
{
    /// <summary>The cache path that was looked at.</summary>
    public string CachePath { get; } = cachePath;
}
