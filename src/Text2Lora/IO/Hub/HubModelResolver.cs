using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Text2Lora.IO.Hub;

/// <summary>
/// Turns what a user passes where a model folder is expected into a local folder: an existing directory is used as
/// it is; otherwise a hub reference (<c>org/name[@revision][:subfolder]</c>, see <see cref="HubReference"/>) is
/// resolved to <c>snapshots/{commit}/{subfolder}</c> in the Hugging Face cache, downloading the files
/// <see cref="ModelFileKind"/> needs. Anything else is returned unchanged, so the loaders report the missing folder.
/// </summary>
public sealed class HubModelResolver
{
    private readonly HubOptions _options;
    private readonly ILogger _logger;
    private readonly HttpMessageHandler? _handler;

    /// <summary>Creates a resolver; <paramref name="options"/> defaults to <see cref="HubOptions.FromEnvironment()"/>.</summary>
    public HubModelResolver(HubOptions? options = null, ILogger? logger = null)
        : this(options, logger, null)
    {
    }

    internal HubModelResolver(HubOptions? options, ILogger? logger, HttpMessageHandler? handler)
    {
        _options = options ?? HubOptions.FromEnvironment();
        _logger = logger ?? NullLogger.Instance;
        _handler = handler;
    }

    /// <summary>The options in use.</summary>
    public HubOptions Options => _options;

    /// <summary>
    /// A local folder for <paramref name="reference"/>: the directory itself when it exists, the cached snapshot
    /// folder of a hub reference (downloaded as needed; only the cache in offline mode), else the text unchanged.
    /// </summary>
    /// <param name="reference">A folder path or <c>org/name[@revision][:subfolder]</c>.</param>
    /// <param name="kind">Which files the caller needs.</param>
    /// <param name="include">Optional glob patterns (relative to the subfolder) that further restrict the files.</param>
    /// <param name="progress">Receives per-file download progress.</param>
    /// <param name="cancellationToken">Cancels the download; partial files are kept for resuming.</param>
    /// <exception cref="HubException">Access denied, not found, offline cache miss or a corrupted download; the message says which and what to do.</exception>
    public async Task<string> ResolveAsync(
        string reference, ModelFileKind kind, IReadOnlyList<string>? include = null,
        IProgress<HubDownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(reference);
        if (Directory.Exists(reference) || !HubReference.TryParse(reference, out var hub))
        {
            return reference;
        }

        return await ResolveAsync(hub, kind, include, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The cached snapshot folder of <paramref name="reference"/> with the files <paramref name="kind"/> needs.</summary>
    public async Task<string> ResolveAsync(
        HubReference reference, ModelFileKind kind, IReadOnlyList<string>? include = null,
        IProgress<HubDownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        using var client = new HubClient(_options, _logger, _handler);
        var cache = client.Cache(reference.RepoId);
        if (_options.Offline)
        {
            return FromCache(cache, reference) is { } cached
                ? cached
                : throw new HubOfflineCacheMissException(reference.RepoId, $"revision '{reference.Revision}'{(reference.Subfolder is null ? string.Empty : $" (folder '{reference.Subfolder}')")}", CachedFolderOrRef(cache, reference));
        }

        string commit;
        IReadOnlyList<string> files;
        try
        {
            (commit, files) = await client.ListAsync(reference.RepoId, reference.Revision, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (HubClient.CanFallBackToCache(ex) && FromCache(cache, reference) is { } cached)
        {
            _logger.LogWarning("The hub at {Endpoint} cannot be reached ({Message}); using the cached {Reference}.", _options.Endpoint, ex.Message, reference);
            return cached;
        }

        var selected = HubFileSelection.Select(files, reference.Subfolder, kind, include).ToList();
        if (selected.Count == 0)
        {
            throw new HubNotFoundException(reference.RepoId,
                $"'{reference}' holds none of the files a {kind} needs{(reference.Subfolder is null ? string.Empty : $" under '{reference.Subfolder}'")} (the repository at {commit[..Math.Min(12, commit.Length)]} has {files.Count} files); check the subfolder.");
        }

        cache.WriteRef(reference.Revision, commit);
        foreach (var file in selected)
        {
            var local = await client.DownloadAsync(reference.RepoId, commit, file, progress, cancellationToken).ConfigureAwait(false);
            if (file.EndsWith("/" + HubFileSelection.SafetensorsIndex, StringComparison.Ordinal) || file == HubFileSelection.SafetensorsIndex)
            {
                var folder = file[..^HubFileSelection.SafetensorsIndex.Length];
                foreach (var shard in HubFileSelection.ShardsOf(local).Select(s => folder + s).Where(s => !selected.Contains(s)))
                {
                    if (!files.Contains(shard))
                    {
                        throw new HubNotFoundException(reference.RepoId, $"'{file}' of '{reference.RepoId}' names the shard '{shard}', which the repository does not have.");
                    }

                    await client.DownloadAsync(reference.RepoId, commit, shard, progress, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return SnapshotFolder(cache, commit, reference.Subfolder);
    }

    /// <summary>Synchronous <see cref="ResolveAsync(string, ModelFileKind, IReadOnlyList{string}?, IProgress{HubDownloadProgress}?, CancellationToken)"/> for loaders that are synchronous.</summary>
    public string Resolve(string reference, ModelFileKind kind, CancellationToken cancellationToken = default) =>
        Task.Run(() => ResolveAsync(reference, kind, null, null, cancellationToken), cancellationToken).GetAwaiter().GetResult();

    private static string? FromCache(HubCacheLayout cache, HubReference reference)
    {
        var commit = cache.CachedCommit(reference.Revision);
        if (commit is null)
        {
            return null;
        }

        var folder = SnapshotFolder(cache, commit, reference.Subfolder);
        return Directory.Exists(folder) ? folder : null;
    }

    private static string CachedFolderOrRef(HubCacheLayout cache, HubReference reference) =>
        cache.CachedCommit(reference.Revision) is { } commit ? SnapshotFolder(cache, commit, reference.Subfolder) : cache.Ref(reference.Revision);

    private static string SnapshotFolder(HubCacheLayout cache, string commit, string? subfolder) =>
        subfolder is null ? cache.Snapshot(commit) : Path.Combine(cache.Snapshot(commit), subfolder.Replace('/', Path.DirectorySeparatorChar));
}
