namespace Text2Lora.IO.Hub;

/// <summary>The hub answered 404: the repository, the revision or the file does not exist.</summary>
public sealed class HubNotFoundException(string repoId, string message) : HubException(repoId, message);
