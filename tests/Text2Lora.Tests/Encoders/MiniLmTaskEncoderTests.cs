using Text2Lora.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Text2Lora.Encoders;
using Text2Lora.Runtime;
using Text2Lora.Tests.Fakes;
using static TorchSharp.torch;

namespace Text2Lora.Tests.Encoders;

/// <summary>
/// The embedded all-MiniLM-L6-v2 model, run for real. No Python reference vectors are available offline, so
/// the checks are properties the model is known to have: 384-d, L2-normalised rows (the package applies
/// sentence-transformers' Normalize step), paraphrases closer than unrelated tasks, determinism.
/// </summary>
[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class MiniLmTaskEncoderTests
{
    private static readonly MiniLmTaskEncoder Encoder = SharedMiniLm.Instance;

    public MiniLmTaskEncoderTests() => TorchRuntime.EnsureAvailable();

    private static float[][] Rows(IReadOnlyList<string> texts, MiniLmTaskEncoder? encoder = null)
    {
        using var t = (encoder ?? Encoder).Encode(texts);
        Assert.Equal([texts.Count, 384L], t.shape);
        Assert.Equal(ScalarType.Float32, t.dtype);
        var flat = t.data<float>().ToArray();
        return [.. Enumerable.Range(0, texts.Count).Select(i => flat[(i * 384)..((i + 1) * 384)])];
    }

    private static double Dot(float[] a, float[] b) => a.Zip(b).Sum(p => (double)p.First * p.Second);

    [Fact]
    public void Rows_are_384_d_and_unit_norm()
    {
        var rows = Rows(["Answer grade-school math word problems.", "Write a Python function from its docstring."]);
        foreach (var row in rows)
        {
            // float32 sums of 384 squares: 1e-5 is far above rounding, far below any unnormalised vector.
            Assert.InRange(Math.Sqrt(Dot(row, row)), 1 - 1e-5, 1 + 1e-5);
        }

        Assert.Equal(MiniLmTaskEncoder.ModelId, Encoder.Id);
        Assert.Equal(384, Encoder.EmbeddingSize);
    }

    [Fact]
    public void Paraphrases_are_closer_than_unrelated_tasks()
    {
        var rows = Rows(
        [
            "Answer grade-school math word problems step by step.",
            "Solve arithmetic story problems, explaining each step.",
            "Translate English poetry into French.",
            "Classify the sentiment of a movie review as positive or negative.",
        ]);

        var paraphrase = Dot(rows[0], rows[1]);
        Assert.True(paraphrase > 0.4, $"paraphrase cosine {paraphrase}");
        Assert.True(paraphrase > Dot(rows[0], rows[2]) + 0.2, $"paraphrase {paraphrase} vs unrelated {Dot(rows[0], rows[2])}");
        Assert.True(paraphrase > Dot(rows[0], rows[3]) + 0.2, $"paraphrase {paraphrase} vs unrelated {Dot(rows[0], rows[3])}");
    }

    [Fact]
    public void Embeddings_are_deterministic_and_independent_of_the_batch()
    {
        const string text = "Summarise news articles in one sentence.";
        var alone = Rows([text])[0];
        var again = Rows([text])[0];
        var inBatch = Rows(["A much longer description that forces padding of the shorter one in the same batch, word word word.", text])[1];

        Assert.Equal(alone, again);
        // Padding only adds masked positions; mean pooling excludes them. Observed difference: 0.
        Assert.All(alone.Zip(inBatch), p => Assert.InRange(Math.Abs(p.First - p.Second), 0, 1e-6));
    }

    [Fact]
    public void Whitespace_variants_embed_identically()
    {
        var rows = Rows(["Answer trivia questions.", "  Answer\t trivia\n\nquestions.  "]);
        Assert.Equal(rows[0], rows[1]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\n")]
    public void Empty_descriptions_are_rejected_naming_the_parameter(string description)
    {
        var ex = Assert.Throws<ArgumentException>(() => Encoder.Encode(["valid", description]));
        Assert.Equal("descriptions", ex.ParamName);
        Assert.Contains("1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Over_long_descriptions_are_truncated_to_256_tokens_with_a_warning()
    {
        var logger = new ListLogger<MiniLmTaskEncoder>();
        using var encoder = new MiniLmTaskEncoder(logger);
        // 300 one-token words: [CLS] + 300 + [SEP] > 256, so everything after word 254 is cut.
        var prefix = string.Join(' ', Enumerable.Repeat("river", 150).Concat(Enumerable.Repeat("mountain", 150)));
        var rows = Rows([prefix + " photosynthesis", prefix + " cryptography"], encoder);

        Assert.Equal(rows[0], rows[1]);
        Assert.Equal(2, logger.Entries.Count(e => e.Level == LogLevel.Warning && e.Message.Contains("truncated", StringComparison.Ordinal)));
        Assert.All(logger.Entries, e => Assert.Contains("reads at most 256", e.Message, StringComparison.Ordinal));

        // Control: below the limit the same suffixes do change the embedding.
        var shortRows = Rows(["river mountain photosynthesis", "river mountain cryptography"], encoder);
        Assert.NotEqual(shortRows[0], shortRows[1]);
    }

    [Fact]
    public void Truncation_keeps_exactly_the_first_254_word_pieces()
    {
        using var encoder = new MiniLmTaskEncoder();
        var words = Enumerable.Range(0, 400).Select(i => i % 2 == 0 ? "alpha" : "beta").ToList();
        var kept = string.Join(' ', words.Take(254));
        var rows = Rows([string.Join(' ', words), kept], encoder);
        Assert.Equal(rows[1], rows[0]);
    }
}
