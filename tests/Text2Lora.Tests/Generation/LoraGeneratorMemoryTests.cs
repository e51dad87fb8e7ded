using Text2Lora.LoraGeneration;
using Text2Lora.Tests.Infrastructure;
using System.Diagnostics;
using Text2Lora.Runtime;
using Text2Lora.Tests.Hypernetworks;
using TorchSharp;
using Xunit.Abstractions;

namespace Text2Lora.Tests.Generation;

/// <summary>Runs alone: it measures the process's resident memory.</summary>
[CollectionDefinition(nameof(NativeMemoryCollection), DisableParallelization = true)]
public sealed class NativeMemoryCollection;

/// <summary>
/// 200 generations (real MiniLM encoder, cache off so every call encodes; real T2L hypernetwork) must not
/// leak tensors or grow resident memory. The live-tensor count is exact; the RSS bound is loose because the
/// allocator and GC keep some slack.
/// </summary>
[Trait(TestCategory.Key, TestCategory.Memory)]
[Collection(nameof(NativeMemoryCollection))]
public sealed class LoraGeneratorMemoryTests(ITestOutputHelper output)
{
    private static long ResidentBytes()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.WorkingSet64;
    }

    [Fact]
    public void Two_hundred_generations_do_not_grow_native_memory()
    {
        TorchRuntime.EnsureAvailable();
        using var hypernetwork = MiniLmHypernetworks.CreateM();
        var generator = new LoraGenerator(SharedMiniLm.Instance, hypernetwork);

        void Run(int count)
        {
            for (var i = 0; i < count; i++)
            {
                using var adapter = generator.FromDescription($"Answer questions about subject {i % 17} in detail.");
            }
        }

        Run(20); // warm-up: ONNX arenas, TorchSharp pools, JIT
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var liveBefore = DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount;
        var rssBefore = ResidentBytes();

        Run(200);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var liveAfter = DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount;
        var rssAfter = ResidentBytes();

        output.WriteLine($"live tensors {liveBefore} -> {liveAfter}; RSS {rssBefore / 1048576.0:F1} -> {rssAfter / 1048576.0:F1} MiB");
        Assert.Equal(liveBefore, liveAfter);
        // One adapter here is 8 factors of 4×64 floats (~6 KB); a leak of every adapter would be ~1.2 MB of tensors plus per-tensor native
        // overhead, and a leak of the encoder's [1,384] input or outputs would show in the tensor count above.
        Assert.True(rssAfter - rssBefore < 16L * 1024 * 1024, $"RSS grew by {(rssAfter - rssBefore) / 1048576.0:F1} MiB over 200 generations");
    }
}
