namespace Text2Lora.IO.Hub;

/// <summary>A downloaded file does not match the checksum the hub announced; nothing was kept.</summary>
public sealed class HubIntegrityException(string repoId, string path, string expected, string actual)
    : HubException(repoId, $"'{path}' of '{repoId}' arrived corrupted: its sha256 is {actual} but the hub announced {expected}; the partial file was deleted and nothing was added to the cache. Retry the download.");
