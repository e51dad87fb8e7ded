using Text2Lora.LoraGeneration;
using Text2Lora.IO.Peft;
using Text2Lora.Lora;
using Text2Lora.Runtime;
using Text2Lora.Tests.Fakes;
using Text2Lora.Tests.Infrastructure;
using static TorchSharp.torch;

namespace Text2Lora.Tests.Generation;

/// <summary>
/// The generator's own logic (batching, ownership, determinism, thread safety) over the real MiniLM encoder
/// and a FAKE hypernetwork (<see cref="LinearFakeHypernetwork"/>: a seeded linear map, not T2L).
/// </summary>
[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class LoraGeneratorTests : IDisposable
{
    private readonly LinearFakeHypernetwork _hypernetwork;

    public LoraGeneratorTests()
    {
        TorchRuntime.EnsureAvailable();
        _hypernetwork = new LinearFakeHypernetwork(384);
    }

    public void Dispose() => _hypernetwork.Dispose();

    internal static void AssertSameAdapter(LoraAdapter expected, LoraAdapter actual)
    {
        Assert.Equal(expected.Modules.Keys.Order(StringComparer.Ordinal), actual.Modules.Keys.Order(StringComparer.Ordinal));
        foreach (var (path, weights) in expected.Modules)
        {
            var other = actual.Modules[path];
            Assert.Equal(weights.A.shape, other.A.shape);
            Assert.Equal(weights.B.shape, other.B.shape);
            Assert.True(weights.A.eq(other.A).all().item<bool>(), $"{path} A differs");
            Assert.True(weights.B.eq(other.B).all().item<bool>(), $"{path} B differs");
            Assert.Equal(weights.Scaling, other.Scaling);
        }
    }

    [Fact]
    public void FromDescription_records_the_description_and_saves_as_a_PEFT_folder()
    {
        var generator = new LoraGenerator(SharedMiniLm.Instance, _hypernetwork);
        using var adapter = generator.FromDescription("Answer grade-school math word problems.");

        Assert.Equal("Answer grade-school math word problems.", adapter.TaskDescription);
        Assert.Equal(4, adapter.Modules.Count);
        Assert.Equal([4L, 64L], adapter.Modules["model.layers.1.self_attn.v_proj"].A.shape);
        Assert.Equal([32L, 4L], adapter.Modules["model.layers.1.self_attn.v_proj"].B.shape);

        using var folder = new TempDirectory();
        PeftAdapterFolder.Save(adapter, folder.Path);
        Assert.Equal("Answer grade-school math word problems.", File.ReadAllText(folder.File(PeftAdapterFolder.TaskDescriptionFileName)));
        using var loaded = PeftAdapterFolder.Load(folder.Path);
        AssertSameAdapter(adapter, loaded);
    }

    [Fact]
    public void FromDescriptions_makes_one_encoder_call_and_one_hypernetwork_call()
    {
        var encoder = new CountingTaskEncoder(SharedMiniLm.Instance);
        var generator = new LoraGenerator(encoder, _hypernetwork);
        string[] descriptions = ["Answer trivia.", "Write SQL.", "Summarise emails."];

        var batch = generator.FromDescriptions(descriptions);
        Assert.Single(encoder.Batches);
        Assert.Equal(descriptions, encoder.Batches[0]);
        Assert.Equal([3L], _hypernetwork.BatchSizes);

        for (var i = 0; i < descriptions.Length; i++)
        {
            using var single = generator.FromDescription(descriptions[i]);
            Assert.Equal(descriptions[i], batch[i].TaskDescription);
            // The fake is a matmul; batched rows equal single rows up to float32 GEMM blocking: 1e-6 on O(1) values.
            foreach (var (path, w) in single.Modules)
            {
                Assert.True(w.A.allclose(batch[i].Modules[path].A, rtol: 0, atol: 1e-6));
                Assert.True(w.B.allclose(batch[i].Modules[path].B, rtol: 0, atol: 1e-6));
            }

            batch[i].Dispose();
        }
    }

    [Fact]
    public void Generation_is_deterministic()
    {
        var generator = new LoraGenerator(SharedMiniLm.Instance, _hypernetwork);
        using var first = generator.FromDescription("Classify sentiment of tweets.");
        using var second = generator.FromDescription("Classify   sentiment of tweets.");
        AssertSameAdapter(first, second);
    }

    [Fact]
    public async Task Sixteen_parallel_calls_equal_sequential_calls()
    {
        var generator = new LoraGenerator(SharedMiniLm.Instance, _hypernetwork);
        var descriptions = Enumerable.Range(0, 16).Select(i => $"Task number {i}: answer questions about topic {i * 7}.").ToArray();
        var sequential = descriptions.Select(generator.FromDescription).ToArray();

        var parallel = await Task.WhenAll(descriptions.Select(d => Task.Run(() => generator.FromDescription(d))));
        var parallelAsync = await Task.WhenAll(descriptions.Select(d => generator.FromDescriptionAsync(d)));

        for (var i = 0; i < descriptions.Length; i++)
        {
            AssertSameAdapter(sequential[i], parallel[i]);
            AssertSameAdapter(sequential[i], parallelAsync[i]);
            Assert.Equal(descriptions[i], parallel[i].TaskDescription);
            sequential[i].Dispose();
            parallel[i].Dispose();
            parallelAsync[i].Dispose();
        }

        Assert.False(_hypernetwork.SawConcurrentCalls, "the generator must serialise hypernetwork calls");
    }

    [Fact]
    public async Task Sixteen_parallel_calls_with_the_real_hypernetwork_equal_sequential_calls()
    {
        using var hypernetwork = Hypernetworks.MiniLmHypernetworks.CreateM();
        var generator = new LoraGenerator(SharedMiniLm.Instance, hypernetwork);
        var descriptions = Enumerable.Range(0, 16).Select(i => $"Task number {i}: answer questions about topic {i * 7}.").ToArray();
        var sequential = descriptions.Select(generator.FromDescription).ToArray();

        var parallel = await Task.WhenAll(descriptions.Select(d => Task.Run(() => generator.FromDescription(d))));

        for (var i = 0; i < descriptions.Length; i++)
        {
            AssertSameAdapter(sequential[i], parallel[i]);
            sequential[i].Dispose();
            parallel[i].Dispose();
        }
    }

    [Fact]
    public async Task Bad_input_gives_typed_errors_naming_the_parameter()
    {
        var generator = new LoraGenerator(SharedMiniLm.Instance, _hypernetwork);
        Assert.Equal("description", Assert.Throws<ArgumentException>(() => generator.FromDescription("  ")).ParamName);
        Assert.Equal("descriptions", Assert.Throws<ArgumentException>(() => generator.FromDescriptions(["ok", ""])).ParamName);
        Assert.Equal("description", (await Assert.ThrowsAsync<ArgumentException>(() => generator.FromDescriptionAsync(""))).ParamName);
        Assert.Equal(0, _hypernetwork.Calls);

        using var wrongSize = new LinearFakeHypernetwork(64);
        Assert.Equal("encoder", Assert.Throws<ArgumentException>(() => new LoraGenerator(SharedMiniLm.Instance, wrongSize)).ParamName);

        using var badEmbedding = zeros(1, 10);
        Assert.Equal("taskEmbeddings", Assert.Throws<ArgumentException>(() => generator.FromTaskEmbeddings(badEmbedding)).ParamName);
    }

    [Fact]
    public async Task Async_calls_honour_cancellation()
    {
        var generator = new LoraGenerator(SharedMiniLm.Instance, _hypernetwork);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => generator.FromDescriptionAsync("Answer trivia.", cts.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => generator.FromDescriptionsAsync(["Answer trivia."], cts.Token));
    }

    [Fact]
    public void FromTaskEmbeddings_bypasses_the_encoder()
    {
        var encoder = new CountingTaskEncoder(SharedMiniLm.Instance);
        var generator = new LoraGenerator(encoder, _hypernetwork);
        using var embedding = SharedMiniLm.Instance.Encode(["Write haiku."]);
        var adapters = generator.FromTaskEmbeddings(embedding);
        using var viaDescription = generator.FromDescription("Write haiku.");

        AssertSameAdapter(viaDescription, adapters[0]);
        Assert.Null(adapters[0].TaskDescription);
        Assert.Single(encoder.Batches);
        adapters[0].Dispose();
    }
}
