using System.Diagnostics;
using Text2Lora.Cli.Commands;
using Text2Lora.Tests.Infrastructure;
using Text2Lora.Tests.IO.Hub;
using Text2Lora.Tests.TaskSuite;

namespace Text2Lora.Tests.Cli;

/// <summary>
/// The built <c>t2l</c> against <see cref="FakeHub"/>: hub references on the command line, the Hugging Face
/// variables set on each child process only (never on this test process, which parallel tests share).
/// </summary>
[Trait(TestCategory.Key, TestCategory.EndToEnd)]
public sealed class HubCommandTests : IDisposable
{
    private static readonly string RepositoryRoot = Path.GetDirectoryName(Path.GetDirectoryName(CommittedSuite.Root))!;
    private readonly FakeHub _hub = new();
    private readonly TempDirectory _home = new();

    public void Dispose()
    {
        _hub.Dispose();
        _home.Dispose();
    }

    private string Cache => Path.Combine(_home.Path, "hub");

    [Fact]
    public void Run_downloads_the_model_into_the_cache_then_runs_offline_from_it()
    {
        var repo = _hub.AddRepo("fixtures/stories260k", FakeHub.FilesOf(Stories260k.ModelDirectory));
        var args = $"run --model fixtures/stories260k --prompt \"{Stories260k.DogPrompt}\" --max-new-tokens 32";

        var online = RunTool(args, offline: false);
        _hub.Dispose();
        var offline = RunTool(args, offline: true);

        Assert.True(online.Code == 0, online.Stderr);
        Assert.Equal(Stories260k.DogContinuation + Environment.NewLine, online.Stdout);
        Assert.Contains("downloaded fixtures/stories260k/model.safetensors", online.Stderr, StringComparison.Ordinal);
        var snapshot = Path.Combine(Cache, "models--fixtures--stories260k", "snapshots", repo.Commit);
        Assert.Equal(repo.Commit, File.ReadAllText(Path.Combine(Cache, "models--fixtures--stories260k", "refs", "main")));
        Assert.Equal($"../../blobs/{repo.Etag("model.safetensors")}", new FileInfo(Path.Combine(snapshot, "model.safetensors")).LinkTarget);
        Assert.True(offline.Code == 0, offline.Stderr);
        Assert.Equal(online.Stdout, offline.Stdout);
        Assert.DoesNotContain("downloaded", offline.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Offline_run_of_an_uncached_model_is_one_error_naming_the_repo()
    {
        var result = RunTool("run --model fixtures/missing --prompt Lily", offline: true);

        Assert.Equal(CliErrors.InputError, result.Code);
        Assert.Contains("error:", result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.Contains("'fixtures/missing'", result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_takes_a_hypernetwork_from_a_hub_subfolder_and_matches_the_local_folder()
    {
        var local = Path.Combine(RepositoryRoot, "models", "t2l-tiny-sft");
        var files = FakeHub.FilesOf(local, "trained_t2l/tiny_sft/");
        files["README.md"] = "# not downloaded\n"u8.ToArray();
        var repo = _hub.AddRepo("fixtures/t2l", files);
        using var output = new TempDirectory();
        const string Description = "--description \"Give the first letter of the word.\"";

        var fromLocal = RunTool($"generate --hypernetwork \"{local}\" {Description} --output \"{output.File("local")}\"", offline: false);
        var fromHub = RunTool($"generate --hypernetwork fixtures/t2l:trained_t2l/tiny_sft {Description} --output \"{output.File("hub")}\"", offline: false);
        _hub.Dispose();
        var fromCache = RunTool($"generate --hypernetwork fixtures/t2l:trained_t2l/tiny_sft {Description} --output \"{output.File("offline")}\"", offline: true);

        Assert.True(fromLocal.Code == 0, fromLocal.Stdout + fromLocal.Stderr);
        Assert.True(fromHub.Code == 0, fromHub.Stdout + fromHub.Stderr);
        Assert.True(fromCache.Code == 0, fromCache.Stdout + fromCache.Stderr);
        var expected = File.ReadAllBytes(Path.Combine(output.File("local"), "adapter_model.safetensors"));
        Assert.Equal(expected, File.ReadAllBytes(Path.Combine(output.File("hub"), "adapter_model.safetensors")));
        Assert.Equal(expected, File.ReadAllBytes(Path.Combine(output.File("offline"), "adapter_model.safetensors")));
        var snapshot = Path.Combine(Cache, "models--fixtures--t2l", "snapshots", repo.Commit);
        Assert.Equal(["hypernetwork.json", "hypernetwork.safetensors"], Directory.EnumerateFiles(Path.Combine(snapshot, "trained_t2l", "tiny_sft")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.False(File.Exists(Path.Combine(snapshot, "README.md")));
    }

    [Fact]
    public void Trainer_config_names_its_base_model_by_hub_reference_as_the_command_line_does()
    {
        var repo = _hub.AddRepo("fixtures/stories260k", FakeHub.FilesOf(Stories260k.ModelDirectory));
        using var work = new TempDirectory();
        // "directory" is not a folder next to the config, so it is the hub reference (the command line's rule).
        File.WriteAllText(work.File("lora.json"), $$"""
            {
              "baseModel": { "directory": "fixtures/stories260k", "promptFormat": "plain" },
              "data": { "tasksDirectory": {{System.Text.Json.JsonSerializer.Serialize(CommittedSuite.Root)}}, "trainTasks": [ "add_one" ], "maxSequenceLength": 64, "validationExamplesPerTask": 2 },
              "lora": { "rank": 2, "targetModules": [ "q_proj" ] },
              "batchSize": 2,
              "loop": { "outputDirectory": "run", "maxSteps": 1, "checkpointEvery": 0, "validateEvery": 0, "intraOpThreads": 1, "device": "cpu" }
            }
            """);

        var result = RunTool($"train lora --config \"{work.File("lora.json")}\"", offline: false);

        Assert.True(result.Code == 0, result.Stdout + result.Stderr);
        Assert.True(File.Exists(Path.Combine(Cache, "models--fixtures--stories260k", "snapshots", repo.Commit, "model.safetensors")));
        var adapterConfig = File.ReadAllText(Path.Combine(work.File("run"), "final", "adapter_config.json"));
        Assert.Contains("\"base_model_name_or_path\": \"fixtures/stories260k\"", adapterConfig, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_processes_downloading_the_same_model_share_one_blob_and_one_transfer()
    {
        var repo = _hub.AddRepo("fixtures/stories260k", FakeHub.FilesOf(Stories260k.ModelDirectory));
        _hub.ChunkDelay = TimeSpan.FromMilliseconds(40); // ≈ 2.6 s for the 1 MB weights, so the processes overlap

        var first = StartTool("download fixtures/stories260k", offline: false);
        var second = StartTool("download fixtures/stories260k", offline: false);
        var results = new[] { Finish(first), Finish(second) };

        var snapshot = Path.Combine(Cache, "models--fixtures--stories260k", "snapshots", repo.Commit);
        Assert.All(results, r => Assert.True(r.Code == 0, r.Stderr));
        Assert.All(results, r => Assert.Equal(snapshot + Environment.NewLine, r.Stdout));
        var blobs = Directory.EnumerateFiles(Path.Combine(Cache, "models--fixtures--stories260k", "blobs")).ToList();
        Assert.Equal(repo.Files.Count, blobs.Count); // one blob per file, no .incomplete left
        Assert.Equal(repo.Files["model.safetensors"], File.ReadAllBytes(Path.Combine(snapshot, "model.safetensors")));
        // Both processes asked for the weights before the one transfer ended: the second waited on the lock and
        // found the finished blob instead of downloading it again.
        var transferEnd = Assert.Single(_hub.TransfersCompleted);
        Assert.Single(_hub.Requests, r => r.Port == _hub.CdnPort && r.Method == "GET");
        var heads = _hub.Requests.Where(r => r.Method == "HEAD" && r.Path.EndsWith("/model.safetensors", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, heads.Count);
        Assert.All(heads, h => Assert.True(h.At < transferEnd, $"HEAD at {h.At:O}, transfer ended {transferEnd:O}"));
    }

    private Process StartTool(string arguments, bool offline)
    {
        var start = new ProcessStartInfo("dotnet", $"\"{Path.Combine(AppContext.BaseDirectory, "t2l.dll")}\" {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["COLUMNS"] = "400";
        start.Environment["HF_HOME"] = _home.Path;
        start.Environment["HF_ENDPOINT"] = _hub.Endpoint;
        start.Environment.Remove("HF_HUB_CACHE");
        start.Environment.Remove("HF_TOKEN");
        start.Environment.Remove("HF_TOKEN_PATH");
        if (offline)
        {
            start.Environment["HF_HUB_OFFLINE"] = "1";
        }
        else
        {
            start.Environment.Remove("HF_HUB_OFFLINE");
        }

        return Process.Start(start)!;
    }

    private static (int Code, string Stdout, string Stderr) Finish(Process process)
    {
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            return (process.ExitCode, stdout.Result, stderr.Result);
        }
    }

    private (int Code, string Stdout, string Stderr) RunTool(string arguments, bool offline) => Finish(StartTool(arguments, offline));
}
