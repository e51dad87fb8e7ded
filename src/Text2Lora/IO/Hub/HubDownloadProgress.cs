namespace Text2Lora.IO.Hub;

/// <summary>Progress of one file download.</summary>
/// <param name="RepoId">The repository.</param>
/// <param name="Path">The file's path in the repository.</param>
/// <param name="BytesDone">Bytes present so far (including a resumed part).</param>
/// <param name="TotalBytes">The file size when the hub announced it.</param>
/// <param name="Completed">True once the file is in the cache.</param>
/// <param name="FromCache">True when the file was already in the cache (nothing was downloaded).</param>
public readonly record struct HubDownloadProgress(string RepoId, string Path, long BytesDone, long? TotalBytes, bool Completed, bool FromCache = false);
