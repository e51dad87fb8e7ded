using System.Diagnostics;
using System.Net.Http.Json;
using TorchSharp;
using Xunit.Abstractions;

namespace Text2Lora.Serving.Tests;

/// <summary>Runs alone: it measures the process's resident memory.</summary>
[CollectionDefinition(nameof(SchedulerMemoryCollection), DisableParallelization = true)]
public sealed class SchedulerMemoryCollection;

/// <summary>
/// Many chat requests (batched with per-sequence adapters, streaming and not) must leave the
/// scheduler thread's live-tensor count exactly where it was and must not grow resident memory, as the core library's
/// leak tests check for generation (LoraGeneratorMemoryTests). Every tensor of the serving path is created on the
/// scheduler thread, so its thread statistics (TorchSharp's DisposeScopeManager) count them all.
/// </summary>
[Collection(nameof(SchedulerMemoryCollection))]
public sealed class SchedulerMemoryTests(ITestOutputHelper output)
{
    private static readonly string?[] Descriptions =
    [
        "Give the first letter of the word.", "Answer with the word spelled backwards.", "Say the word in upper case.", null,
    ];

    private static readonly string[] Words = ["donkey", "umbrella", "kitten", "forest", "juice", "quiet", "apple"];

    /// <summary>
    /// Resident memory outside the managed heap: the process's working set less what the GC has committed (the test
    /// server's request buffers and logs live on the managed heap, whose committed size the GC trims when it likes).
    /// </summary>
    private static long NativeResidentBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.WorkingSet64 - GC.GetGCMemoryInfo().TotalCommittedBytes;
    }

    private static async Task Round(HttpClient http, int round)
    {
        // Eight concurrent requests: different adapters and lengths in one batch, half of them streamed.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            using var response = await http.PostAsJsonAsync("/v1/chat/completions", new Dictionary<string, object?>
            {
                ["messages"] = new[] { new { role = "user", content = Words[(round + i) % Words.Length] } },
                ["max_tokens"] = 4 + ((round + i) % 12),
                ["stream"] = i % 2 == 0,
                ["t2l_description"] = Descriptions[i % Descriptions.Length],
            });
            response.EnsureSuccessStatusCode();
            _ = await response.Content.ReadAsStringAsync();
        }));
    }

    [Fact]
    public async Task Two_hundred_requests_do_not_grow_the_schedulers_tensors_or_native_memory()
    {
        using var host = new ServingHost();
        using var http = host.CreateClient();
        await host.Engine.Ready;
        Task<long> LiveTensors() => host.Engine.RunAsync(() => DisposeScopeManager.Statistics.ThreadTotalLiveCount, CancellationToken.None);

        for (var round = 0; round < 10; round++)
        {
            await Round(http, round); // warm-up: every adapter generated and cached, TorchSharp pools, JIT
        }

        var liveBefore = await LiveTensors();
        var rssBefore = NativeResidentBytes();

        for (var round = 0; round < 25; round++)
        {
            await Round(http, round);
        }

        var liveAfter = await LiveTensors();
        var rssAfter = NativeResidentBytes();

        output.WriteLine($"live tensors on the scheduler thread {liveBefore} -> {liveAfter}; native RSS {rssBefore / 1048576.0:F1} -> {rssAfter / 1048576.0:F1} MiB");
        Assert.Equal(liveBefore, liveAfter);
        // A leaked KV cache of one batch here is 4 layers × (K, V) × [8 rows, 4 heads, ~40 positions, 32] floats (~1.3 MB),
        // so 25 leaked batches would be ~33 MB; the bound leaves the allocator's and the GC's slack for everything else.
        Assert.True(rssAfter - rssBefore < 16L * 1024 * 1024, $"Native RSS grew by {(rssAfter - rssBefore) / 1048576.0:F1} MiB over 200 requests");
    }
}
