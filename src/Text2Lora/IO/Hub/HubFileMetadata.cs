namespace Text2Lora.IO.Hub;

/// <summary>What a <c>HEAD …/resolve/{revision}/{path}</c> answers.</summary>
/// <param name="Commit">The commit the revision resolved to (<c>X-Repo-Commit</c>).</param>
/// <param name="Etag">The blob id (<c>X-Linked-Etag</c> for LFS files, else <c>ETag</c>), unquoted; an LFS etag is the content's sha256.</param>
/// <param name="Size">Bytes (<c>X-Linked-Size</c>, else <c>Content-Length</c>), or null.</param>
/// <param name="DownloadUrl">Where to GET the content (the redirect target for LFS/CDN files).</param>
internal sealed record HubFileMetadata(string Commit, string Etag, long? Size, Uri DownloadUrl);
