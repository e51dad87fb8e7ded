namespace Text2Lora.IO.Hub;

/// <summary>
/// huggingface_hub's cache layout (<c>file_download.py</c>): <c>{cache}/models--org--name/blobs/{etag}</c> holds the
/// content, <c>snapshots/{commit}/{path}</c> links to it (relative symlink), <c>refs/{revision}</c> holds the commit a
/// branch or tag pointed at; locks live in <c>{cache}/.locks/models--org--name/{etag}.lock</c>.
/// </summary>
internal sealed class HubCacheLayout(string cacheDirectory, string repoId)
{
    public string RepoId { get; } = repoId;

    /// <summary><c>models--org--name</c>: the repository's folder in the cache.</summary>
    public string RepoFolder { get; } = Path.Combine(cacheDirectory, "models--" + repoId.Replace("/", "--", StringComparison.Ordinal));

    private readonly string _locks = Path.Combine(cacheDirectory, ".locks", "models--" + repoId.Replace("/", "--", StringComparison.Ordinal));

    public string Blob(string etag) => Path.Combine(RepoFolder, "blobs", etag);

    public string Snapshot(string commit) => Path.Combine(RepoFolder, "snapshots", commit);

    public string Pointer(string commit, string repoPath) => Path.Combine(Snapshot(commit), ToNative(repoPath));

    public string Ref(string revision) => Path.Combine(RepoFolder, "refs", ToNative(revision));

    public string Lock(string etag) => Path.Combine(_locks, etag + ".lock");

    /// <summary>True when <paramref name="revision"/> is a full commit hash (then no ref file is involved).</summary>
    public static bool IsCommitHash(string revision) =>
        revision.Length == 40 && revision.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    /// <summary>The commit <paramref name="revision"/> resolves to from the cache alone, or null.</summary>
    public string? CachedCommit(string revision)
    {
        if (IsCommitHash(revision))
        {
            return revision;
        }

        var refFile = Ref(revision);
        return File.Exists(refFile) ? File.ReadAllText(refFile).Trim() : null;
    }

    /// <summary>Records that <paramref name="revision"/> points at <paramref name="commit"/> (content: the hash, no newline, as huggingface_hub writes it).</summary>
    public void WriteRef(string revision, string commit)
    {
        if (revision == commit)
        {
            return;
        }

        var path = Ref(revision);
        if (File.Exists(path) && File.ReadAllText(path) == commit)
        {
            return;
        }

        AtomicFile.WriteAllText(path, commit);
    }

    /// <summary>
    /// Points <paramref name="pointer"/> at <paramref name="blob"/> with a relative symlink (<c>../../blobs/{etag}</c>);
    /// copies the blob where the file system cannot link.
    /// </summary>
    public static void Link(string blob, string pointer)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(pointer)!);
        if (File.Exists(pointer) || new FileInfo(pointer).LinkTarget is not null)
        {
            File.Delete(pointer);
        }

        var relative = Path.GetRelativePath(Path.GetDirectoryName(pointer)!, blob);
        try
        {
            File.CreateSymbolicLink(pointer, relative);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            var temp = pointer + ".copy.tmp";
            File.Copy(blob, temp, overwrite: true);
            File.Move(temp, pointer, overwrite: true);
        }
    }

    private static string ToNative(string repoPath) => repoPath.Replace('/', Path.DirectorySeparatorChar);
}
