using System.Security.Cryptography;
using System.Text;
using Text2Lora.IO.Hub;
using Text2Lora.Tests.Infrastructure;

namespace Text2Lora.Tests.IO.Hub;

/// <summary>
/// Downloads from <see cref="FakeHub"/> into a per-test cache, with options passed in-process (never the process
/// environment, which parallel tests share). The served model is the stories260k fixture plus a README the base-model
/// kind must skip.
/// </summary>
[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class HubModelResolverTests : IDisposable
{
    private const string RepoId = "fixtures/stories260k";
    private readonly FakeHub _hub = new();
    private readonly TempDirectory _cache = new();
    private readonly FakeRepo _repo;

    public HubModelResolverTests()
    {
        var files = FakeHub.FilesOf(Stories260k.ModelDirectory);
        files["README.md"] = Encoding.UTF8.GetBytes("# stories260k\nnot part of a base model's files\n");
        _repo = _hub.AddRepo(RepoId, files);
    }

    public void Dispose()
    {
        _hub.Dispose();
        _cache.Dispose();
    }

    private HubOptions Options(string? token = null, bool offline = false) =>
        new() { Endpoint = _hub.Endpoint, CacheDirectory = _cache.Path, Token = token, Offline = offline };

    private string RepoFolder => Path.Combine(_cache.Path, "models--fixtures--stories260k");

    [Fact]
    public async Task Base_model_lands_in_the_huggingface_hub_cache_layout()
    {
        var folder = await new HubModelResolver(Options()).ResolveAsync(RepoId, ModelFileKind.BaseModel);

        Assert.Equal(Path.Combine(RepoFolder, "snapshots", _repo.Commit), folder);
        // huggingface_hub writes the bare commit hash, no newline, to refs/{revision}.
        Assert.Equal(_repo.Commit, File.ReadAllText(Path.Combine(RepoFolder, "refs", "main")));
        var expected = _repo.Files.Keys.Where(f => f != "README.md").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, Directory.EnumerateFiles(folder).Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal).ToList());
        foreach (var file in expected)
        {
            var pointer = Path.Combine(folder, file);
            var etag = _repo.Etag(file);
            Assert.Equal($"../../blobs/{etag}", new FileInfo(pointer).LinkTarget);
            Assert.Equal(_repo.Files[file], File.ReadAllBytes(pointer));
            Assert.True(File.Exists(Path.Combine(_cache.Path, ".locks", "models--fixtures--stories260k", etag + ".lock")), file);
        }

        // The LFS weights are stored under their sha256, the regular files under their git blob id.
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(_repo.Files["model.safetensors"])), _repo.Etag("model.safetensors"));
        Assert.Equal(expected.Count, Directory.EnumerateFiles(Path.Combine(RepoFolder, "blobs")).Count());
        Assert.DoesNotContain(_hub.Requests, r => r.Path.EndsWith("README.md", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Lfs_content_comes_from_the_redirect_host_without_the_token()
    {
        var gated = _hub.AddRepo("meta/gated", FakeHub.FilesOf(Stories260k.ModelDirectory), token: "hf_secret");

        await new HubModelResolver(Options(token: "hf_secret")).ResolveAsync(gated.RepoId, ModelFileKind.BaseModel);

        var cdn = _hub.Requests.Where(r => r.Port == _hub.CdnPort).ToList();
        var hub = _hub.Requests.Where(r => r.Port == _hub.HubPort).ToList();
        Assert.Single(cdn, r => r.Method == "GET"); // model.safetensors, the one LFS file
        Assert.All(cdn, r => Assert.Null(r.Authorization));
        Assert.All(hub, r => Assert.Equal("Bearer hf_secret", r.Authorization));
        Assert.Contains(hub, r => r.Method == "HEAD" && r.Path.EndsWith("/model.safetensors", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Gated_repo_without_a_token_says_so_and_names_the_repo_and_HF_TOKEN()
    {
        _hub.AddRepo("meta/gated", FakeHub.FilesOf(Stories260k.ModelDirectory), token: "hf_secret");

        var error = await Assert.ThrowsAsync<HubAccessDeniedException>(() => new HubModelResolver(Options()).ResolveAsync("meta/gated", ModelFileKind.BaseModel));

        Assert.Equal(401, error.StatusCode);
        Assert.Contains("'meta/gated'", error.Message, StringComparison.Ordinal);
        Assert.Contains("gated or private", error.Message, StringComparison.Ordinal);
        Assert.Contains("HF_TOKEN", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_cache.Path, "models--meta--gated", "snapshots")));
    }

    [Fact]
    public async Task Token_from_HF_HOME_token_file_opens_a_gated_repo()
    {
        var gated = _hub.AddRepo("meta/gated", FakeHub.FilesOf(Stories260k.ModelDirectory), token: "hf_from_file");
        using var home = new TempDirectory();
        File.WriteAllText(home.File("token"), "hf_from_file\n");
        var environment = new Dictionary<string, string?> { ["HF_HOME"] = home.Path, ["HF_ENDPOINT"] = _hub.Endpoint };
        var options = HubOptions.FromEnvironment(name => environment.GetValueOrDefault(name));
        Assert.Equal(Path.Combine(home.Path, "hub"), options.CacheDirectory);

        var folder = await new HubModelResolver(options).ResolveAsync(gated.RepoId, ModelFileKind.ModelConfig);

        Assert.Equal(gated.Files["config.json"], File.ReadAllBytes(Path.Combine(folder, "config.json")));
        Assert.StartsWith(home.Path, folder, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connection_cut_mid_file_is_resumed_with_a_range_request()
    {
        _hub.CutOnce["model.safetensors"] = true;

        var folder = await new HubModelResolver(Options()).ResolveAsync(RepoId, ModelFileKind.BaseModel);

        Assert.Equal(_repo.Files["model.safetensors"], File.ReadAllBytes(Path.Combine(folder, "model.safetensors")));
        var gets = _hub.Requests.Where(r => r.Port == _hub.CdnPort && r.Method == "GET").ToList();
        Assert.Equal(2, gets.Count);
        Assert.Null(gets[0].Range);
        Assert.Equal($"bytes={_repo.Files["model.safetensors"].Length / 2}-", gets[1].Range);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(RepoFolder, "blobs"), "*.incomplete"));
    }

    [Fact]
    public async Task Partial_file_left_by_an_earlier_run_is_resumed()
    {
        var content = _repo.Files["model.safetensors"];
        var blob = Path.Combine(RepoFolder, "blobs", _repo.Etag("model.safetensors"));
        Directory.CreateDirectory(Path.GetDirectoryName(blob)!);
        File.WriteAllBytes(blob + ".incomplete", content[..1000]);

        var folder = await new HubModelResolver(Options()).ResolveAsync(RepoId, ModelFileKind.BaseModel);

        Assert.Equal(content, File.ReadAllBytes(Path.Combine(folder, "model.safetensors")));
        Assert.Equal("bytes=1000-", Assert.Single(_hub.Requests, r => r.Port == _hub.CdnPort && r.Method == "GET").Range);
    }

    [Fact]
    public async Task Corrupted_blob_is_refused_and_nothing_is_left_in_the_cache()
    {
        _hub.Corrupt["model.safetensors"] = true;

        var error = await Assert.ThrowsAsync<HubIntegrityException>(() => new HubModelResolver(Options()).ResolveAsync(RepoId, ModelFileKind.BaseModel));

        Assert.Contains("model.safetensors", error.Message, StringComparison.Ordinal);
        Assert.Contains(_repo.Etag("model.safetensors"), error.Message, StringComparison.Ordinal);
        var snapshot = Path.Combine(RepoFolder, "snapshots", _repo.Commit);
        Assert.False(File.Exists(Path.Combine(snapshot, "model.safetensors")));
        Assert.DoesNotContain(Directory.EnumerateFiles(Path.Combine(RepoFolder, "blobs")), f => f.Contains(_repo.Etag("model.safetensors"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Offline_mode_uses_the_cache_and_a_miss_names_the_repo_and_the_cache_path()
    {
        var online = await new HubModelResolver(Options()).ResolveAsync(RepoId, ModelFileKind.BaseModel);
        _hub.Dispose();
        var before = _hub.Requests.Count;

        var offline = await new HubModelResolver(Options(offline: true)).ResolveAsync(RepoId, ModelFileKind.BaseModel);
        var miss = await Assert.ThrowsAsync<HubOfflineCacheMissException>(
            () => new HubModelResolver(Options(offline: true)).ResolveAsync("other/model", ModelFileKind.BaseModel));
        using var client = new HubClient(Options(offline: true));
        var fileMiss = await Assert.ThrowsAsync<HubOfflineCacheMissException>(
            () => client.DownloadAsync(RepoId, "main", "tokenizer.json", null, CancellationToken.None));

        Assert.Equal(online, offline);
        Assert.Equal(before, _hub.Requests.Count);
        Assert.Contains("'other/model'", miss.Message, StringComparison.Ordinal);
        Assert.Contains("HF_HUB_OFFLINE", miss.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_cache.Path, "models--other--model", "refs", "main"), miss.Message, StringComparison.Ordinal);
        Assert.Contains("'tokenizer.json'", fileMiss.Message, StringComparison.Ordinal);
        Assert.Equal(Path.Combine(online, "tokenizer.json"), fileMiss.CachePath);
    }

    [Fact]
    public async Task A_cache_written_by_huggingface_hub_is_reused_without_downloading()
    {
        // The layout huggingface_hub leaves after hf_hub_download(repo, "config.json"): blob, relative symlink, ref.
        var etag = _repo.Etag("config.json");
        Directory.CreateDirectory(Path.Combine(RepoFolder, "blobs"));
        File.WriteAllBytes(Path.Combine(RepoFolder, "blobs", etag), _repo.Files["config.json"]);
        var snapshot = Path.Combine(RepoFolder, "snapshots", _repo.Commit);
        Directory.CreateDirectory(snapshot);
        File.CreateSymbolicLink(Path.Combine(snapshot, "config.json"), $"../../blobs/{etag}");
        Directory.CreateDirectory(Path.Combine(RepoFolder, "refs"));
        File.WriteAllText(Path.Combine(RepoFolder, "refs", "main"), _repo.Commit);

        var offline = await new HubModelResolver(Options(offline: true)).ResolveAsync(RepoId, ModelFileKind.ModelConfig);
        var online = await new HubModelResolver(Options()).ResolveAsync(RepoId, ModelFileKind.ModelConfig);

        Assert.Equal(snapshot, offline);
        Assert.Equal(snapshot, online);
        Assert.DoesNotContain(_hub.Requests, r => r.Method == "GET" && r.Path.Contains("/resolve/", StringComparison.Ordinal));
        Assert.Single(Directory.EnumerateFiles(Path.Combine(RepoFolder, "blobs")));
    }

    [Fact]
    public async Task Sharded_weights_download_the_shards_the_index_names_and_nothing_else()
    {
        var index = """{"metadata": {}, "weight_map": {"a": "model-00001-of-00002.safetensors", "b": "model-00002-of-00002.safetensors", "c": "model-00001-of-00002.safetensors"}}""";
        var sharded = _hub.AddRepo("org/sharded", new Dictionary<string, byte[]>
        {
            ["config.json"] = "{}"u8.ToArray(),
            ["model.safetensors.index.json"] = Encoding.UTF8.GetBytes(index),
            ["model-00001-of-00002.safetensors"] = RandomNumberGenerator.GetBytes(3000),
            ["model-00002-of-00002.safetensors"] = RandomNumberGenerator.GetBytes(2000),
            ["old/model-unused.safetensors"] = RandomNumberGenerator.GetBytes(100),
            ["pytorch_model.bin"] = RandomNumberGenerator.GetBytes(100),
        });

        var folder = await new HubModelResolver(Options()).ResolveAsync(sharded.RepoId, ModelFileKind.BaseModel);

        Assert.Equal(
            ["config.json", "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors", "model.safetensors.index.json"],
            Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Subfolder_reference_downloads_only_that_folders_hypernetwork_files()
    {
        var files = new Dictionary<string, byte[]>
        {
            ["README.md"] = "x"u8.ToArray(),
            ["trained_t2l/m/args.yaml"] = "model_dir: org/base\n"u8.ToArray(),
            ["trained_t2l/m/adapter_config.json"] = "{}"u8.ToArray(),
            ["trained_t2l/m/hypermod.pt"] = RandomNumberGenerator.GetBytes(20_000),
            ["trained_t2l/m/loss.png"] = RandomNumberGenerator.GetBytes(100),
            ["trained_t2l/other/hypermod.pt"] = RandomNumberGenerator.GetBytes(100),
        };
        var repo = _hub.AddRepo("sakana/t2l", files);

        var folder = await new HubModelResolver(Options()).ResolveAsync("sakana/t2l@main:trained_t2l/m", ModelFileKind.Hypernetwork);
        var included = await new HubModelResolver(Options()).ResolveAsync(HubReference.Parse("sakana/t2l:trained_t2l"), ModelFileKind.All, include: ["other/*.pt"]);

        Assert.Equal(Path.Combine(_cache.Path, "models--sakana--t2l", "snapshots", repo.Commit, "trained_t2l", "m"), folder);
        Assert.Equal(["adapter_config.json", "args.yaml", "hypermod.pt"], Directory.EnumerateFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal($"../../../../blobs/{repo.Etag("trained_t2l/m/hypermod.pt")}", new FileInfo(Path.Combine(folder, "hypermod.pt")).LinkTarget);
        Assert.Equal(["hypermod.pt"], Directory.EnumerateFiles(Path.Combine(included, "other")).Select(Path.GetFileName));
        Assert.DoesNotContain(_hub.Requests, r => r.Path.EndsWith("loss.png", StringComparison.Ordinal) || r.Path.EndsWith("README.md", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unknown_repo_revision_and_subfolder_are_not_found_errors_naming_them()
    {
        var resolver = new HubModelResolver(Options());

        var repo = await Assert.ThrowsAsync<HubNotFoundException>(() => resolver.ResolveAsync("nobody/nothing", ModelFileKind.BaseModel));
        var revision = await Assert.ThrowsAsync<HubNotFoundException>(() => resolver.ResolveAsync(RepoId + "@v9", ModelFileKind.BaseModel));
        var subfolder = await Assert.ThrowsAsync<HubNotFoundException>(() => resolver.ResolveAsync(RepoId + ":missing/dir", ModelFileKind.BaseModel));

        Assert.Contains("'nobody/nothing'", repo.Message, StringComparison.Ordinal);
        Assert.Contains("revision 'v9'", revision.Message, StringComparison.Ordinal);
        Assert.Contains("'missing/dir'", subfolder.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Renamed_repo_is_followed_through_the_relative_redirect()
    {
        _hub.Renamed["old-org/stories"] = RepoId;
        using var client = new HubClient(Options());

        var path = await client.DownloadAsync("old-org/stories", _repo.Commit, "config.json", null, CancellationToken.None);

        Assert.Equal(_repo.Files["config.json"], File.ReadAllBytes(path));
        Assert.Contains(_hub.Requests, r => r.Method == "HEAD" && r.Path == $"/{RepoId}/resolve/{_repo.Commit}/config.json");
    }

    [Fact]
    public async Task Existing_local_folder_wins_and_other_text_is_returned_unchanged()
    {
        using var local = new TempDirectory();
        var resolver = new HubModelResolver(Options());

        Assert.Equal(local.Path, await resolver.ResolveAsync(local.Path, ModelFileKind.BaseModel));
        Assert.Equal("/no/such/folder", await resolver.ResolveAsync("/no/such/folder", ModelFileKind.BaseModel));
        Assert.Empty(_hub.Requests);
    }

    [Fact]
    public async Task Progress_reports_each_file_once_completed()
    {
        var reports = new List<HubDownloadProgress>();
        var progress = new SynchronousProgress(reports.Add);

        await new HubModelResolver(Options()).ResolveAsync(RepoId, ModelFileKind.BaseModel, progress: progress);
        await new HubModelResolver(Options()).ResolveAsync(RepoId, ModelFileKind.BaseModel, progress: progress);

        var completed = reports.Where(r => r.Completed).ToList();
        Assert.Equal(2 * (_repo.Files.Count - 1), completed.Count);
        Assert.All(completed.Take(_repo.Files.Count - 1), r => Assert.False(r.FromCache));
        Assert.All(completed.Skip(_repo.Files.Count - 1), r => Assert.True(r.FromCache));
        Assert.Equal(_repo.Files["model.safetensors"].Length, completed.First(r => r.Path == "model.safetensors").BytesDone);
    }

    [Fact]
    public async Task Cancellation_stops_the_download_and_adds_nothing_to_the_snapshot()
    {
        _hub.ChunkDelay = TimeSpan.FromMilliseconds(50); // the 1 MB weights take ≈ 3 s, the cancellation lands during them
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(400));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new HubModelResolver(Options()).ResolveAsync(RepoId, ModelFileKind.BaseModel, cancellationToken: cancel.Token));

        Assert.False(File.Exists(Path.Combine(RepoFolder, "blobs", _repo.Etag("model.safetensors"))));
        Assert.False(File.Exists(Path.Combine(RepoFolder, "snapshots", _repo.Commit, "model.safetensors")));
    }

    private sealed class SynchronousProgress(Action<HubDownloadProgress> report) : IProgress<HubDownloadProgress>
    {
        public void Report(HubDownloadProgress value) => report(value);
    }
}
