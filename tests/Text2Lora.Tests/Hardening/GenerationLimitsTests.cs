using Text2Lora.Abstractions;
using Text2Lora.Cli.Commands;
using Text2Lora.IO.Safetensors;
using Text2Lora.Models.Llama;
using Text2Lora.Runtime;
using Text2Lora.TextGeneration;
using Text2Lora.Tests.Infrastructure;
using static TorchSharp.torch;

namespace Text2Lora.Tests.Hardening;

/// <summary>
/// Generation within the model's context (issue 14: a prompt far beyond the context ran for minutes past 4 GB;
/// <c>--max-new-tokens 1000000000</c> allocated a 512 GB KV cache up front). stories260k has a 512-position context,
/// 5 layers, 4 KV heads of 8: a cache sized for 10⁹ tokens would need 5·2·4·8·4 B·10⁹ ≈ 1.3 TB, so merely finishing shows
/// the cache is not sized for the limit.
/// </summary>
// Runs alone: the CLI cases capture the process-wide Console, which other CLI tests in parallel would write into.
[Collection(nameof(Text2Lora.Tests.Training.GlobalTorchRngCollection))]
public sealed class GenerationLimitsTests
{
    private const int Context = 512; // Fixtures/stories260k/model/config.json max_position_embeddings

    public GenerationLimitsTests() => TorchRuntime.EnsureAvailable();

    private static int[] PublishedSample()
    {
        using var expected = SafetensorsFile.Open(FixturePaths.Get("stories260k", "expected.safetensors"));
        using var output = expected.ReadTensor("sample.output_ids");
        return [.. output.data<long>().Select(x => (int)x)];
    }

    [Fact]
    public void A_billion_new_tokens_stop_at_the_context_with_the_published_tokens()
    {
        using var model = LlamaFamilyModel.Load(Stories260k.ModelDirectory);
        var sample = PublishedSample();

        using var huge = model.Generate([[sample[0]]], new GenerationOptions { MaxNewTokens = 1_000_000_000 });
        using var exact = model.Generate([[sample[0]]], new GenerationOptions { MaxNewTokens = Context - 1 });

        // The model never emits EOS (fixture README): the sequence fills the context, prompt included.
        Assert.Equal(Context - 1, huge.Sequences[0].TokenIds.Count);
        Assert.Equal(FinishReason.Length, huge.Sequences[0].FinishReason);
        Assert.Equal(sample[1..], huge.Sequences[0].TokenIds.Take(sample.Length - 1));
        Assert.Equal(exact.Sequences[0].TokenIds, huge.Sequences[0].TokenIds);
    }

    [Fact]
    public void Kv_cache_doubles_up_to_its_maximum_and_keeps_its_contents()
    {
        using var cache = new KvCache(1, 1, 1, 2, 1, ScalarType.Float32, CPU, maxCapacity: 5);
        var capacities = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            using var key = full(1, 1, 1, 1, (float)i);
            using var value = full(1, 1, 1, 1, (float)(10 + i));
            var (keys, values) = cache.Append(0, key, value);
            cache.Advance(1);
            capacities.Add(cache.Capacity);
            Assert.Equal(Enumerable.Range(0, i + 1).Select(x => (float)x), keys.data<float>().ToArray());
            Assert.Equal(Enumerable.Range(10, i + 1).Select(x => (float)x), values.data<float>().ToArray());
            keys.Dispose();
            values.Dispose();
        }

        Assert.Equal([2L, 2, 4, 4, 5], capacities);
        using var oneMore = zeros(1, 1, 1, 1);
        Assert.Throws<InvalidOperationException>(() => cache.Append(0, oneMore, oneMore));
    }

    [Fact]
    public void A_prompt_longer_than_the_context_is_refused_or_cut_to_its_last_tokens()
    {
        using var model = LlamaFamilyModel.Load(Stories260k.ModelDirectory);
        var sample = PublishedSample();
        var prompt = Enumerable.Range(0, 600).Select(i => sample[i % sample.Length]).ToArray();

        var error = Assert.Throws<PromptTooLongException>(() => model.Generate([[1, 2], prompt], new GenerationOptions { MaxNewTokens = 4 }));
        Assert.Equal((1, 600, Context), (error.PromptIndex, error.PromptTokens, error.ContextLength));

        using var cut = model.Generate([prompt], new GenerationOptions { MaxNewTokens = 4, TruncatePrompt = true });
        using var lastTokens = model.Generate([prompt[^(Context - 1)..]], new GenerationOptions { MaxNewTokens = 4 });
        Assert.Equal(lastTokens.Sequences[0].TokenIds, cut.Sequences[0].TokenIds);
        Assert.Single(cut.Sequences[0].TokenIds); // one position was left for new tokens
    }

    private static (int Code, string Out, string Error) Run(params string[] args) => Cli.CliErrorOutputTests.Run(args);

    [Fact]
    public void Run_with_a_1_MB_prompt_is_a_one_line_input_error_and_with_truncate_prompt_completes()
    {
        var prompt = string.Concat(Enumerable.Repeat(Stories260k.DogPrompt + " ", (1 << 20) / (Stories260k.DogPrompt.Length + 1) + 1));
        Assert.True(prompt.Length >= 1 << 20);

        var (code, _, error) = Run("run", "--model", Stories260k.ModelDirectory, "--prompt", prompt, "--max-new-tokens", "4");
        Assert.Equal(CliErrors.InputError, code);
        // Other tests running in parallel may write to the process-wide console too: look at this command's lines.
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines, l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal)); // no stack trace
        Assert.StartsWith("error: Prompt 0 has ", line, StringComparison.Ordinal);
        Assert.Contains("--truncate-prompt", line, StringComparison.Ordinal);

        var (truncatedCode, _, truncatedError) = Run("run", "--model", Stories260k.ModelDirectory, "--prompt", prompt, "--max-new-tokens", "4", "--truncate-prompt");
        Assert.Equal(CliErrors.Success, truncatedCode);
        // The exit code is this command's own verdict; the captured stderr may hold other tests' lines (see above).
        Assert.DoesNotContain(truncatedError.Split('\n'), l => l.StartsWith("error: Prompt", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_with_max_new_tokens_of_a_billion_completes_within_the_context()
    {
        var (code, output, error) = Run("run", "--model", Stories260k.ModelDirectory, "--prompt", Stories260k.LilyPrompt, "--max-new-tokens", "1000000000");

        Assert.Equal(CliErrors.Success, code);
        Assert.DoesNotContain("error:", error, StringComparison.Ordinal);
        Assert.Contains(Stories260k.LilyContinuation, output, StringComparison.Ordinal);
    }
}
