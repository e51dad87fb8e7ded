using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Text2Lora.Tests.IO.Hub;

/// <summary>
/// A Hugging Face hub on 127.0.0.1 (random ports) that answers as the real one does (huggingface_hub's
/// <c>file_download.py</c> is the client it is modelled on):
/// <c>HEAD/GET /{repo}/resolve/{revision}/{path}</c> with <c>X-Repo-Commit</c>, a quoted git-sha1 <c>ETag</c> for
/// regular files, and for LFS files a 302 to a second port (another host:port, like the CDN) with
/// <c>X-Linked-Etag</c> (the sha256) and <c>X-Linked-Size</c>; <c>GET /api/models/{repo}/revision/{revision}</c> with
/// <c>sha</c> and <c>siblings</c>; 401 + <c>X-Error-Code: GatedRepo</c> for a gated repository without its token;
/// 404 with <c>RepoNotFound</c>/<c>RevisionNotFound</c>/<c>EntryNotFound</c>; <c>Range</c> on the CDN; relative
/// 307 redirects for renamed repositories. Faults: cut a file's first transfer mid-way, serve corrupted bytes, throttle.
/// </summary>
internal sealed class FakeHub : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, FakeRepo> _repos = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private bool _disposed;

    public FakeHub()
    {
        for (var attempt = 0; ; attempt++)
        {
            (HubPort, CdnPort) = (FreePort(), FreePort());
            _listener.Prefixes.Clear();
            _listener.Prefixes.Add($"http://127.0.0.1:{HubPort}/");
            _listener.Prefixes.Add($"http://127.0.0.1:{CdnPort}/");
            try
            {
                _listener.Start();
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
            }
        }

        _loop = Task.Run(AcceptLoop);
    }

    public int HubPort { get; private set; }

    public int CdnPort { get; private set; }

    /// <summary>What HF_ENDPOINT is set to.</summary>
    public string Endpoint => $"http://127.0.0.1:{HubPort}";

    /// <summary>Every request, in arrival order.</summary>
    public ConcurrentQueue<FakeRequest> Requests { get; } = new();

    /// <summary>File paths whose first content transfer is cut after half the bytes.</summary>
    public ConcurrentDictionary<string, bool> CutOnce { get; } = new(StringComparer.Ordinal);

    /// <summary>File paths whose content is served with one byte flipped (the announced sha256 stays the true one).</summary>
    public ConcurrentDictionary<string, bool> Corrupt { get; } = new(StringComparer.Ordinal);

    /// <summary>Renamed repositories: old id → new id (answered with a relative 307, as the hub does).</summary>
    public ConcurrentDictionary<string, string> Renamed { get; } = new(StringComparer.Ordinal);

    /// <summary>When each complete content transfer from the CDN port ended.</summary>
    public ConcurrentQueue<DateTime> TransfersCompleted { get; } = new();

    /// <summary>Delay between 16 KiB chunks of content (to make transfers overlap).</summary>
    public TimeSpan ChunkDelay { get; set; }

    /// <summary>Adds a repository; files larger than <paramref name="lfsThreshold"/> bytes or ending in .safetensors are LFS files.</summary>
    public FakeRepo AddRepo(string repoId, IReadOnlyDictionary<string, byte[]> files, string? token = null, int lfsThreshold = 10_000)
    {
        var repo = new FakeRepo(repoId, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20)), files, token, lfsThreshold);
        _repos[repoId] = repo;
        return repo;
    }

    /// <summary>The files of a folder (recursively), keyed by their path under <paramref name="prefix"/>.</summary>
    public static Dictionary<string, byte[]> FilesOf(string folder, string prefix = "") =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => prefix + Path.GetRelativePath(folder, f).Replace('\\', '/'), File.ReadAllBytes, StringComparer.Ordinal);

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var path = Uri.UnescapeDataString(request.Url!.AbsolutePath);
        Requests.Enqueue(new FakeRequest(request.HttpMethod, request.Url.Port, path, request.Headers["Authorization"], request.Headers["Range"], DateTime.UtcNow));
        try
        {
            if (request.Url.Port == CdnPort)
            {
                await ServeCdnAsync(request, response, path);
            }
            else if (path.StartsWith("/api/models/", StringComparison.Ordinal))
            {
                ServeListing(request, response, path["/api/models/".Length..]);
            }
            else
            {
                ServeResolve(request, response, path);
            }

            response.Close();
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException)
        {
            // The client went away (or the transfer was cut on purpose).
        }
    }

    private void ServeListing(HttpListenerRequest request, HttpListenerResponse response, string rest)
    {
        var marker = rest.IndexOf("/revision/", StringComparison.Ordinal);
        var repoId = rest[..marker];
        var revision = rest[(marker + "/revision/".Length)..];
        if (Lookup(request, response, repoId, revision) is not { } repo)
        {
            return;
        }

        var json = JsonSerializer.Serialize(new
        {
            id = repoId,
            sha = repo.Commit,
            siblings = repo.Files.Keys.Select(k => new { rfilename = k }).ToArray(),
        });
        var body = Encoding.UTF8.GetBytes(json);
        response.ContentType = "application/json";
        response.ContentLength64 = body.Length;
        response.OutputStream.Write(body);
    }

    private void ServeResolve(HttpListenerRequest request, HttpListenerResponse response, string path)
    {
        // /{org}/{name}/resolve/{revision}/{file...}
        var parts = path.TrimStart('/').Split('/');
        if (parts.Length < 5 || parts[2] != "resolve")
        {
            Error(response, 404, null);
            return;
        }

        var repoId = parts[0] + "/" + parts[1];
        if (Renamed.TryGetValue(repoId, out var newId))
        {
            response.StatusCode = 307;
            response.Headers["Location"] = "/" + newId + "/" + string.Join('/', parts.Skip(2));
            return;
        }

        var revision = parts[3];
        var file = string.Join('/', parts.Skip(4));
        if (Lookup(request, response, repoId, revision) is not { } repo)
        {
            return;
        }

        if (!repo.Files.TryGetValue(file, out var content))
        {
            response.Headers["X-Repo-Commit"] = repo.Commit;
            Error(response, 404, "EntryNotFound");
            return;
        }

        response.Headers["X-Repo-Commit"] = repo.Commit;
        if (repo.IsLfs(file))
        {
            var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
            response.StatusCode = 302;
            response.Headers["X-Linked-Etag"] = $"\"{sha256}\"";
            response.Headers["X-Linked-Size"] = content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
            response.Headers["ETag"] = $"\"{FakeRepo.GitBlobSha1(Encoding.UTF8.GetBytes("version https://git-lfs.github.com/spec/v1\n"))}\"";
            response.Headers["Location"] = $"http://127.0.0.1:{CdnPort}/cdn/{repoId}/{sha256}?file={Uri.EscapeDataString(file)}";
            return;
        }

        response.Headers["ETag"] = $"\"{FakeRepo.GitBlobSha1(content)}\"";
        response.ContentLength64 = content.Length;
        if (request.HttpMethod == "GET")
        {
            response.OutputStream.Write(content);
        }
    }

    private async Task ServeCdnAsync(HttpListenerRequest request, HttpListenerResponse response, string path)
    {
        // /cdn/{org}/{name}/{sha256}?file=...
        var parts = path.TrimStart('/').Split('/');
        var repo = _repos[parts[1] + "/" + parts[2]];
        var file = request.QueryString["file"]!;
        var content = repo.Files[file];
        if (Corrupt.ContainsKey(file))
        {
            content = [.. content];
            content[content.Length / 2] ^= 0xFF;
        }

        var offset = 0L;
        if (request.Headers["Range"] is { } range && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-'))
        {
            offset = long.Parse(range["bytes=".Length..^1], System.Globalization.CultureInfo.InvariantCulture);
            if (offset >= content.Length)
            {
                response.StatusCode = 416;
                return;
            }

            response.StatusCode = 206;
            response.Headers["Content-Range"] = $"bytes {offset}-{content.Length - 1}/{content.Length}";
        }

        response.ContentLength64 = content.Length - offset;
        var cut = CutOnce.TryRemove(file, out _);
        var end = cut ? content.Length / 2 : content.Length;
        for (var position = offset; position < end; position += 16 * 1024)
        {
            var count = (int)Math.Min(16 * 1024, end - position);
            await response.OutputStream.WriteAsync(content.AsMemory((int)position, count));
            await response.OutputStream.FlushAsync();
            if (ChunkDelay > TimeSpan.Zero)
            {
                await Task.Delay(ChunkDelay);
            }
        }

        if (cut)
        {
            response.Abort();
            throw new IOException("cut on purpose");
        }

        TransfersCompleted.Enqueue(DateTime.UtcNow);
    }

    /// <summary>The repository, after the checks the hub makes (exists, token for gated ones, revision); null after writing the error.</summary>
    private FakeRepo? Lookup(HttpListenerRequest request, HttpListenerResponse response, string repoId, string revision)
    {
        if (!_repos.TryGetValue(repoId, out var repo))
        {
            Error(response, 404, "RepoNotFound");
            return null;
        }

        if (repo.Token is { } token && request.Headers["Authorization"] != "Bearer " + token)
        {
            Error(response, 401, "GatedRepo");
            return null;
        }

        if (revision != "main" && revision != repo.Commit)
        {
            Error(response, 404, "RevisionNotFound");
            return null;
        }

        return repo;
    }

    private static void Error(HttpListenerResponse response, int status, string? code)
    {
        response.StatusCode = status;
        if (code is not null)
        {
            response.Headers["X-Error-Code"] = code;
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stop.Cancel();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

    }
}

/// <summary>One request the fake hub received.</summary>
internal sealed record FakeRequest(string Method, int Port, string Path, string? Authorization, string? Range, DateTime At);

/// <summary>A repository of the fake hub at one commit.</summary>
internal sealed class FakeRepo(string repoId, string commit, IReadOnlyDictionary<string, byte[]> files, string? token, int lfsThreshold)
{
    public string RepoId { get; } = repoId;

    public string Commit { get; } = commit;

    public IReadOnlyDictionary<string, byte[]> Files { get; } = files;

    public string? Token { get; } = token;

    public bool IsLfs(string file) => file.EndsWith(".safetensors", StringComparison.Ordinal) || Files[file].Length > lfsThreshold;

    /// <summary>The etag the hub announces for <paramref name="file"/>: sha256 for LFS files, git blob sha1 otherwise.</summary>
    public string Etag(string file) =>
        IsLfs(file) ? Convert.ToHexStringLower(SHA256.HashData(Files[file])) : GitBlobSha1(Files[file]);

    /// <summary>Git's object id of a blob: sha1("blob {length}\0" + content).</summary>
    public static string GitBlobSha1(byte[] content)
    {
        var header = Encoding.ASCII.GetBytes($"blob {content.Length}\0");
#pragma warning disable CA5350 // git's object ids are sha1 by definition
        return Convert.ToHexStringLower(SHA1.HashData([.. header, .. content]));
#pragma warning restore CA5350
    }
}
