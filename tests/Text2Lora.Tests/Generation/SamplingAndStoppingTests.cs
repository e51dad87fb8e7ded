using Text2Lora.TextGeneration;
using Text2Lora.IO.Safetensors;
using Text2Lora.Models.Llama;
using Text2Lora.Tests.Infrastructure;

namespace Text2Lora.Tests.Generation;

/// <summary>Sampling options, EOS, stop sequences and cancellation on the stories260k model (real weights).</summary>
[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class SamplingAndStoppingTests : IDisposable
{
    private readonly LlamaFamilyModel _model = LlamaFamilyModel.Load(FixturePaths.Get("stories260k", "model"));
    private readonly int[][] _prompt;
    private readonly int[] _greedy;

    public SamplingAndStoppingTests()
    {
        using var expected = SafetensorsFile.Open(FixturePaths.Get("stories260k", "expected.safetensors"));
        _prompt = GreedyGenerationTests.Prompts(expected, "gen.single0.input_ids", null);
        using var output = expected.ReadTensor("gen.single0.output_ids");
        _greedy = output.data<long>().Skip(18).Select(x => (int)x).ToArray();
    }

    [Fact]
    public void Same_seed_gives_the_same_sample_and_other_seeds_differ()
    {
        var a = Sample(new GenerationOptions { MaxNewTokens = 32, Temperature = 1.0, Seed = 1 });
        var b = Sample(new GenerationOptions { MaxNewTokens = 32, Temperature = 1.0, Seed = 1 });
        var others = Enumerable.Range(2, 3).Select(seed => Sample(new GenerationOptions { MaxNewTokens = 32, Temperature = 1.0, Seed = seed })).ToArray();
        Assert.Equal(a, b);
        Assert.Contains(others, o => !o.SequenceEqual(a));
    }

    [Fact]
    public void Top_k_1_and_tiny_top_p_reduce_sampling_to_greedy()
    {
        Assert.Equal(_greedy, Sample(new GenerationOptions { MaxNewTokens = 32, Temperature = 1.5, TopK = 1, Seed = 3 }));
        Assert.Equal(_greedy, Sample(new GenerationOptions { MaxNewTokens = 32, Temperature = 1.5, TopP = 1e-6, Seed = 4 }));
    }

    [Fact]
    public void Hot_sampling_departs_from_greedy()
    {
        Assert.NotEqual(_greedy, Sample(new GenerationOptions { MaxNewTokens = 32, Temperature = 2.0, Seed = 5 }));
    }

    [Fact]
    public void Eos_ends_a_sequence_and_is_included()
    {
        using var result = _model.Generate(_prompt, new GenerationOptions { MaxNewTokens = 32, EosTokenIds = [_greedy[4]] });
        var firstEos = Array.IndexOf(_greedy, _greedy[4]);
        Assert.Equal(_greedy[..(firstEos + 1)], result.Sequences[0].TokenIds);
        Assert.Equal(FinishReason.EndOfSequence, result.Sequences[0].FinishReason);
    }

    [Fact]
    public void Stop_sequence_ends_a_sequence()
    {
        int[] stop = [_greedy[5], _greedy[6]];
        using var result = _model.Generate(_prompt, new GenerationOptions { MaxNewTokens = 32, StopSequences = [stop] });
        Assert.Equal(FinishReason.StopSequence, result.Sequences[0].FinishReason);
        Assert.Equal(stop, result.Sequences[0].TokenIds.TakeLast(2));
        Assert.True(result.Sequences[0].TokenIds.Count <= 7);
        Assert.Equal(_greedy[..result.Sequences[0].TokenIds.Count], result.Sequences[0].TokenIds);
    }

    [Fact]
    public void Finished_rows_do_not_change_the_other_rows()
    {
        using var expected = SafetensorsFile.Open(FixturePaths.Get("stories260k", "expected.safetensors"));
        var prompts = GreedyGenerationTests.Prompts(expected, "input_ids", "attention_mask");
        using var result = _model.Generate(prompts, new GenerationOptions { MaxNewTokens = 32, EosTokenIds = [_greedy[2]] });
        Assert.Equal(FinishReason.EndOfSequence, result.Sequences[0].FinishReason);
        using var alone = _model.Generate([prompts[1]], new GenerationOptions { MaxNewTokens = 32, EosTokenIds = [_greedy[2]] });
        Assert.Equal(alone.Sequences[0].TokenIds, result.Sequences[1].TokenIds);
    }

    [Fact]
    public void Cancellation_is_observed()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => _model.Generate(_prompt, new GenerationOptions { MaxNewTokens = 8 }, null, cts.Token));
    }

    [Fact]
    public void Invalid_options_are_rejected_naming_the_option()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => _model.Generate(_prompt, new GenerationOptions { TopP = 0 }));
        Assert.Equal("TopP", ex.ParamName);
    }

    private int[] Sample(GenerationOptions options)
    {
        using var result = _model.Generate(_prompt, options);
        return result.Sequences[0].TokenIds.ToArray();
    }

    public void Dispose() => _model.Dispose();
}
