using System.Diagnostics;
using Text2Lora.Hypernetworks;
using Text2Lora.Lora;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;
using Text2Lora.Tests.Infrastructure;

namespace Text2Lora.Tests.Hypernetworks;

[CollectionDefinition(nameof(NativeMemoryCollection), DisableParallelization = true)]
public sealed class NativeMemoryCollection;

/// <summary>Generation must not leak native tensors: every tensor it creates is disposed or owned by the returned adapters.</summary>
[Trait(TestCategory.Key, TestCategory.Memory)]
[Collection(nameof(NativeMemoryCollection))]
public class GenerationMemoryTests
{
    [Fact]
    public void Two_hundred_generations_leave_no_live_tensors_and_do_not_grow_rss()
    {
        // A mid-sized M hypernetwork (8 layers, 1024-wide q/v): each adapter holds 8 × 8 × (3·1024 + 256) floats ≈ 0.85 MiB
        // plus ~6 MiB of transient activations per call, so a leaked adapter or intermediate per call would add ≥ 170 MiB
        // over 200 calls.
        LoraTargetModule[] modules =
        [
            new("q_proj", "model.layers.{0}.self_attn.q_proj", 1024, 1024),
            new("v_proj", "model.layers.{0}.self_attn.v_proj", 1024, 256),
        ];
        var config = new LoraConfig { R = 8, LoraAlpha = 16, TargetModules = TargetModules.FromNames(["q_proj", "v_proj"]) };
        var architecture = new HyperModulatorArchitecture { TaskEmbeddingSize = 384, LatentSize = 64, HeadInSize = 128, SharedABHead = true };
        using var hypernetwork = new T2LHypernetwork(new HyperModulator(architecture, 8, 8, modules), config, new LoraTargetDescription(8, modules));
        using var embedding = randn(1, 384);

        void GenerateAndDispose()
        {
            foreach (var adapter in hypernetwork.Generate(embedding))
            {
                Assert.Equal(16, adapter.Modules.Count);
                adapter.Dispose();
            }
        }

        // Warm-up: the first calls size glibc's per-thread arenas and libtorch's thread pool (measured: tens of MiB once).
        for (var i = 0; i < 50; i++)
        {
            GenerateAndDispose();
        }

        var liveBefore = LiveTensors();
        var rssBefore = RssAfterCollection();
        for (var i = 0; i < 200; i++)
        {
            GenerateAndDispose();
        }

        // Exact: TorchSharp counts every tensor handle this thread created and not yet disposed.
        Assert.Equal(liveBefore, LiveTensors());

        // Allocator slack (glibc arenas, libtorch caching) moves RSS by a few MiB between runs; 64 MiB is well below the
        // ≥ 170 MiB a per-call leak of the outputs alone would add.
        var growthMiB = (RssAfterCollection() - rssBefore) / (1024.0 * 1024.0);
        Console.Error.WriteLine($"RSS growth over 200 generations: {growthMiB:F1} MiB");
        Assert.True(growthMiB < 64, $"RSS grew by {growthMiB:F1} MiB over 200 generations");
    }

    private static long LiveTensors() => DisposeScopeManager.Statistics.ThreadTotalLiveCount;

    private static long RssAfterCollection()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }
}
