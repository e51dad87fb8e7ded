using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Text2Lora.IO.Hub;

/// <summary>
/// The hub's file protocol as huggingface_hub speaks it (<c>file_download.py</c>): <c>HEAD {endpoint}/{repo}/resolve/{revision}/{path}</c>
/// for the commit, etag and size (following only relative redirects); GET of the content from the redirect target
/// (LFS/CDN), never sending the token to another host; <c>{endpoint}/api/models/{repo}/revision/{revision}</c> for
/// the file list. Files land in the shared cache (<see cref="HubCacheLayout"/>) through <c>blobs/{etag}.incomplete</c>,
/// resumed with <c>Range</c>, checked against the sha256 etag of LFS files, renamed atomically under a cross-process lock.
/// </summary>
internal sealed class HubClient : IDisposable
{
    private const int MaxRedirects = 10;
    private readonly HubOptions _options;
    private readonly ILogger _logger;
    private readonly HttpClient _http;
    private readonly Uri _endpoint;

    public HubClient(HubOptions options, ILogger? logger = null, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _endpoint = new Uri(options.Endpoint.TrimEnd('/') + "/");
        _http = new HttpClient(handler ?? new SocketsHttpHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None });
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("text2lora", "0.1"));
    }

    public HubOptions Options => _options;

    public HubCacheLayout Cache(string repoId) => new(_options.CacheDirectory, repoId);

    /// <summary>The commit <paramref name="revision"/> points at and the repository's file paths.</summary>
    public async Task<(string Commit, IReadOnlyList<string> Files)> ListAsync(string repoId, string revision, CancellationToken cancellationToken)
    {
        var url = new Uri(_endpoint, $"api/models/{repoId}/revision/{Uri.EscapeDataString(revision)}");
        using var response = await SendAsync(HttpMethod.Get, url, null, followAbsoluteRedirects: true, cancellationToken).ConfigureAwait(false);
        ThrowOnError(response, repoId, $"revision '{revision}'");
        var json = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var commit = root.GetProperty("sha").GetString() ?? throw new InvalidDataException("'sha' is null");
            var files = root.GetProperty("siblings").EnumerateArray()
                .Select(s => s.GetProperty("rfilename").GetString() ?? string.Empty)
                .Where(f => f.Length > 0)
                .ToList();
            return (commit, files);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or InvalidDataException)
        {
            throw new HubException(repoId, $"The hub's file list for '{repoId}' at '{revision}' ({url}) is not the expected JSON (sha, siblings[].rfilename): {ex.Message}", ex);
        }
    }

    /// <summary>The commit, etag, size and download address of one file (HEAD, relative redirects only, as huggingface_hub).</summary>
    public async Task<HubFileMetadata> GetMetadataAsync(string repoId, string revision, string path, CancellationToken cancellationToken)
    {
        var url = ResolveUrl(repoId, revision, path);
        using var response = await SendAsync(HttpMethod.Head, url, null, followAbsoluteRedirects: false, cancellationToken).ConfigureAwait(false);
        ThrowOnError(response, repoId, $"'{path}' at revision '{revision}'");
        var commit = Header(response, "X-Repo-Commit")
            ?? throw new HubException(repoId, $"The hub sent no X-Repo-Commit header for '{path}' of '{repoId}' ({url}); is HF_ENDPOINT a Hugging Face hub?");
        var etag = NormalizeEtag(Header(response, "X-Linked-Etag") ?? Header(response, "ETag"))
            ?? throw new HubException(repoId, $"The hub sent no ETag for '{path}' of '{repoId}' ({url}).");
        var sizeText = Header(response, "X-Linked-Size");
        long? size = long.TryParse(sizeText, out var linked) ? linked : response.Content.Headers.ContentLength;
        var location = (int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } target
            ? new Uri(response.RequestMessage!.RequestUri!, target)
            : response.RequestMessage!.RequestUri!;
        return new HubFileMetadata(commit, etag, size, location);
    }

    /// <summary>
    /// The local path of <paramref name="path"/> at <paramref name="revision"/> (a file in <c>snapshots/{commit}/</c>),
    /// downloading it into the cache unless it is there.
    /// </summary>
    public async Task<string> DownloadAsync(string repoId, string revision, string path, IProgress<HubDownloadProgress>? progress, CancellationToken cancellationToken)
    {
        var cache = Cache(repoId);
        if (_options.Offline)
        {
            return FromCacheOrThrow(cache, revision, path, progress);
        }

        if (HubCacheLayout.IsCommitHash(revision) && File.Exists(cache.Pointer(revision, path)))
        {
            return Reported(cache.Pointer(revision, path), repoId, path, progress);
        }

        HubFileMetadata metadata;
        try
        {
            metadata = await GetMetadataAsync(repoId, revision, path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (CanFallBackToCache(ex) && cache.CachedCommit(revision) is { } commit && File.Exists(cache.Pointer(commit, path)))
        {
            _logger.LogWarning("The hub at {Endpoint} cannot be reached ({Message}); using the cached '{Path}' of {Repo}.", _options.Endpoint, ex.Message, path, repoId);
            return Reported(cache.Pointer(commit, path), repoId, path, progress);
        }

        cache.WriteRef(revision, metadata.Commit);
        var pointer = cache.Pointer(metadata.Commit, path);
        if (File.Exists(pointer))
        {
            return Reported(pointer, repoId, path, progress);
        }

        // Blob and link are written under the blob's lock, as huggingface_hub does: a second process waits, then
        // finds the finished blob (and possibly the link) instead of downloading or linking again.
        var blob = cache.Blob(metadata.Etag);
        var downloaded = false;
        using (await CrossProcessFileLock.AcquireAsync(
            cache.Lock(metadata.Etag),
            () => _logger.LogInformation("Waiting for another download of '{Path}' ({Repo}) to finish.", path, repoId),
            cancellationToken).ConfigureAwait(false))
        {
            if (!File.Exists(blob))
            {
                await DownloadBlobAsync(repoId, path, metadata, blob, progress, cancellationToken).ConfigureAwait(false);
                downloaded = true;
            }

            if (!File.Exists(pointer))
            {
                HubCacheLayout.Link(blob, pointer);
            }
        }

        return Reported(pointer, repoId, path, progress, fromCache: !downloaded);
    }

    private async Task DownloadBlobAsync(string repoId, string path, HubFileMetadata metadata, string blob, IProgress<HubDownloadProgress>? progress, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(blob)!);
        var incomplete = blob + ".incomplete";
        _logger.LogInformation("Downloading '{Path}' of {Repo} ({Size} bytes).", path, repoId, metadata.Size);
        for (var attempt = 0; ; attempt++)
        {
            var have = File.Exists(incomplete) ? new FileInfo(incomplete).Length : 0;
            if (metadata.Size is { } size && have == size && size > 0)
            {
                break;
            }

            try
            {
                await FetchAsync(repoId, path, metadata, incomplete, have, progress, cancellationToken).ConfigureAwait(false);
                break;
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException && ex is not HubException && attempt < _options.MaxResumeAttempts && !cancellationToken.IsCancellationRequested)
            {
                _logger.LogWarning("Download of '{Path}' ({Repo}) was interrupted ({Message}); resuming from byte {Offset}.",
                    path, repoId, ex.Message, File.Exists(incomplete) ? new FileInfo(incomplete).Length : 0);
                await Task.Delay(TimeSpan.FromMilliseconds(200 * (attempt + 1)), cancellationToken).ConfigureAwait(false);
            }
        }

        if (IsSha256(metadata.Etag))
        {
            string actual;
            await using (var stream = new FileStream(incomplete, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.Asynchronous))
            {
                actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
            }

            if (actual != metadata.Etag)
            {
                File.Delete(incomplete);
                throw new HubIntegrityException(repoId, path, metadata.Etag, actual);
            }
        }

        File.Move(incomplete, blob, overwrite: true);
    }

    /// <summary>GETs the content into <paramref name="incomplete"/>, from byte <paramref name="offset"/> when resuming.</summary>
    private async Task FetchAsync(string repoId, string path, HubFileMetadata metadata, string incomplete, long offset, IProgress<HubDownloadProgress>? progress, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(
            HttpMethod.Get,
            metadata.DownloadUrl,
            request =>
            {
                if (offset > 0)
                {
                    request.Headers.Range = new RangeHeaderValue(offset, null);
                }
            },
            followAbsoluteRedirects: true,
            cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            File.Delete(incomplete);
            throw new IOException($"the server refused the range from byte {offset}");
        }

        ThrowOnError(response, repoId, $"'{path}'");
        var resumed = offset > 0 && response.StatusCode == HttpStatusCode.PartialContent;
        var done = resumed ? offset : 0;
        await using var file = new FileStream(incomplete, resumed ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.Asynchronous);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[1 << 16];
        var lastReport = 0L;
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            done += read;
            if (done - lastReport >= 1 << 20)
            {
                lastReport = done;
                progress?.Report(new HubDownloadProgress(repoId, path, done, metadata.Size, Completed: false));
            }
        }

        await file.FlushAsync(cancellationToken).ConfigureAwait(false);
        if (metadata.Size is { } size && done < size)
        {
            throw new IOException($"the connection closed after {done} of {size} bytes");
        }
    }

    private string FromCacheOrThrow(HubCacheLayout cache, string revision, string path, IProgress<HubDownloadProgress>? progress)
    {
        var commit = cache.CachedCommit(revision)
            ?? throw new HubOfflineCacheMissException(cache.RepoId, $"revision '{revision}' (needed for '{path}')", cache.Ref(revision));
        var pointer = cache.Pointer(commit, path);
        return File.Exists(pointer)
            ? Reported(pointer, cache.RepoId, path, progress)
            : throw new HubOfflineCacheMissException(cache.RepoId, $"file '{path}' at revision '{revision}'", pointer);
    }

    private static string Reported(string pointer, string repoId, string path, IProgress<HubDownloadProgress>? progress, bool fromCache = true)
    {
        var info = new FileInfo(pointer);
        var length = (info.LinkTarget is null ? info : info.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? info).Length;
        progress?.Report(new HubDownloadProgress(repoId, path, length, length, Completed: true, FromCache: fromCache));
        return pointer;
    }

    /// <summary>
    /// Sends a request, following relative redirects always and absolute ones when asked; the token goes only to
    /// the endpoint's own host (huggingface_hub drops <c>authorization</c> when a redirect leaves it).
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri url, Action<HttpRequestMessage>? configure, bool followAbsoluteRedirects, CancellationToken cancellationToken)
    {
        for (var hop = 0; ; hop++)
        {
            using var request = new HttpRequestMessage(method, url);
            request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("identity"));
            if (_options.Token is { } token && SameHost(url, _endpoint))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            configure?.Invoke(request);
            var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status is < 300 or >= 400 || response.Headers.Location is not { } location || hop >= MaxRedirects)
            {
                return response;
            }

            if (!location.IsAbsoluteUri || followAbsoluteRedirects)
            {
                url = new Uri(url, location);
                response.Dispose();
                continue;
            }

            return response;
        }
    }

    /// <summary>
    /// Errors after which huggingface_hub falls back to a cached copy: the hub unreachable, down (5xx) or refusing
    /// access (a token that expired); never "not found", which the hub states with authority.
    /// </summary>
    internal static bool CanFallBackToCache(Exception ex) =>
        ex is HttpRequestException or TaskCanceledException { InnerException: TimeoutException } or HubAccessDeniedException
        || (ex is HubException && ex is not HubNotFoundException and not HubIntegrityException and not HubOfflineCacheMissException);

    private bool TokenSent(HttpResponseMessage response) =>
        _options.Token is not null && response.RequestMessage?.RequestUri is { } uri && SameHost(uri, _endpoint);

    private void ThrowOnError(HttpResponseMessage response, string repoId, string what)
    {
        var status = (int)response.StatusCode;
        if (status is >= 200 and < 400)
        {
            return;
        }

        var code = Header(response, "X-Error-Code");
        switch (status)
        {
            case 401 or 403:
                throw new HubAccessDeniedException(repoId, status, TokenSent(response));
            case 404:
                throw new HubNotFoundException(repoId, code switch
                {
                    "RevisionNotFound" => $"The hub has no such revision in '{repoId}' ({what}).",
                    "EntryNotFound" => $"The hub has no file {what} in '{repoId}'.",
                    _ => $"The hub found nothing for {what} in '{repoId}' (HTTP 404{(code is null ? string.Empty : ", " + code)}): check the repository id, revision and path.",
                });
            default:
                throw new HubException(repoId, $"The hub answered HTTP {status} {response.ReasonPhrase} for {what} of '{repoId}' ({response.RequestMessage?.RequestUri}).");
        }
    }

    private Uri ResolveUrl(string repoId, string revision, string path) =>
        new(_endpoint, $"{repoId}/resolve/{Uri.EscapeDataString(revision)}/{string.Join('/', path.Split('/').Select(Uri.EscapeDataString))}");

    private static bool SameHost(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? values.FirstOrDefault()
            : null;

    // huggingface_hub's _normalize_etag: drop a weak "W/" prefix and the quotes.
    private static string? NormalizeEtag(string? etag) =>
        etag is null ? null : (etag.StartsWith("W/", StringComparison.Ordinal) ? etag[2..] : etag).Trim('"');

    private static bool IsSha256(string etag) => etag.Length == 64 && etag.All(char.IsAsciiHexDigitLower);

    public void Dispose() => _http.Dispose();
}
