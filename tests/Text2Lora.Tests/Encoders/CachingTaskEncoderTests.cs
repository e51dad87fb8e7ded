using Text2Lora.Tests.Infrastructure;
using Text2Lora.Encoders;
using Text2Lora.Runtime;
using Text2Lora.Tests.Fakes;

namespace Text2Lora.Tests.Encoders;

/// <summary>The cache's own logic, tested with a counting fake encoder (and once over the real MiniLM).</summary>
[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class CachingTaskEncoderTests
{
    public CachingTaskEncoderTests() => TorchRuntime.EnsureAvailable();

    private static float[] Flat(TorchSharp.torch.Tensor t)
    {
        using (t)
        {
            return t.data<float>().ToArray();
        }
    }

    [Fact]
    public void The_key_is_the_exact_encoder_input()
    {
        var inner = new CountingTaskEncoder();
        using var cache = new CachingTaskEncoder(inner, capacity: 10);

        Flat(cache.Encode(["Answer  questions."]));
        Flat(cache.Encode(["Answer  questions."]));
        Assert.Single(inner.Batches);

        // Whitespace and case are part of what the encoder sees, so they are different entries.
        Flat(cache.Encode([" Answer\nquestions. "]));
        Flat(cache.Encode(["ANSWER  questions."]));
        Assert.Equal(3, inner.Batches.Count);
        Assert.Equal(3, cache.Count);
    }

    [Fact]
    public void Under_a_format_descriptions_with_the_same_encoder_input_share_an_entry()
    {
        var inner = new CountingTaskEncoder();
        using var cache = new CachingTaskEncoder(inner, capacity: 10);
        var formatted = new FormattedTaskEncoder(DescriptionFormat.AddFullStop, cache);

        var first = Flat(formatted.Encode(["Answer questions"]));
        var second = Flat(formatted.Encode(["  Answer questions.\n"]));
        Assert.Equal(first, second);
        Assert.Equal(["Answer questions."], Assert.Single(inner.Batches));

        // Inner whitespace is kept by add_full_stop, so this is another encoder input.
        Flat(formatted.Encode(["Answer  questions"]));
        Assert.Equal(["Answer  questions."], inner.Batches[1]);
    }

    [Fact]
    public void Misses_of_one_call_are_embedded_in_one_batch_in_order()
    {
        var inner = new CountingTaskEncoder();
        using var cache = new CachingTaskEncoder(inner, capacity: 10);
        Flat(cache.Encode(["b"]));

        var mixed = Flat(cache.Encode(["a", "b", "c", "a"]));
        Assert.Equal(2, inner.Batches.Count);
        Assert.Equal(["a", "c"], inner.Batches[1]);

        var direct = Flat(new CountingTaskEncoder().Encode(["a", "b", "c", "a"]));
        Assert.Equal(direct, mixed);
    }

    [Fact]
    public void Least_recently_used_entries_are_evicted_at_capacity()
    {
        var inner = new CountingTaskEncoder();
        using var cache = new CachingTaskEncoder(inner, capacity: 2);
        Flat(cache.Encode(["a"]));
        Flat(cache.Encode(["b"]));
        Flat(cache.Encode(["a"])); // a is now the most recent
        Flat(cache.Encode(["c"])); // evicts b
        Assert.Equal(2, cache.Count);

        Flat(cache.Encode(["a"]));
        Assert.Equal(3, inner.Batches.Count);
        Flat(cache.Encode(["b"]));
        Assert.Equal(4, inner.Batches.Count);
    }

    [Fact]
    public void Empty_descriptions_are_rejected_before_the_inner_encoder_runs()
    {
        var inner = new CountingTaskEncoder();
        using var cache = new CachingTaskEncoder(inner, capacity: 2);
        var ex = Assert.Throws<ArgumentException>(() => cache.Encode(["ok", " "]));
        Assert.Equal("descriptions", ex.ParamName);
        Assert.Empty(inner.Batches);
        Assert.Throws<ArgumentOutOfRangeException>(() => new CachingTaskEncoder(inner, 0));
    }

    [Fact]
    public void Cached_MiniLM_embeddings_equal_uncached_ones_under_parallel_use()
    {
        using var cache = new CachingTaskEncoder(SharedMiniLm.Instance, capacity: 4);
        string[] texts = ["Answer trivia.", "Write SQL queries.", "Summarise emails.", "Translate to German.", "Fix grammar."];
        var expected = texts.Select(t => Flat(SharedMiniLm.Instance.Encode([t]))).ToArray();

        var results = new float[64][];
        Parallel.For(0, 64, i => results[i] = Flat(cache.Encode([texts[i % texts.Length]])));

        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal(expected[i % texts.Length], results[i]);
        }
    }
}
