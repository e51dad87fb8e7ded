using Text2Lora.TextGeneration;
using Text2Lora.Abstractions;
using Text2Lora.IO.Safetensors;
using Text2Lora.Models.Llama;
using Text2Lora.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace Text2Lora.Tests.Models;

/// <summary>LM loss (with label smoothing), NEFTune noise and native-memory hygiene of forward/generate.</summary>
[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class ForwardOptionsTests : IDisposable
{
    private readonly LlamaFamilyModel _model = LlamaFamilyModel.Load(FixturePaths.Get("stories260k", "model"));
    private readonly SafetensorsFile _expected = SafetensorsFile.Open(FixturePaths.Get("stories260k", "expected.safetensors"));

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    public void Loss_is_masked_shifted_cross_entropy(double smoothing)
    {
        using var ids = _expected.ReadTensor("input_ids");
        using var mask = _expected.ReadTensor("attention_mask");
        using var labels = ids.masked_fill(mask.eq(0), -100);
        using var output = _model.Forward(new ModelForwardInput(ids) { AttentionMask = mask, Labels = labels, LabelSmoothing = smoothing });

        // Independent computation from the reference logits: mean over valid next-token targets of
        // (1-ε)·(−log p[target]) + ε·mean_v(−log p[v]).
        using var logits = _expected.ReadTensor("logits");
        var logp = logits.log_softmax(-1).data<float>().ToArray();
        var labelValues = labels.data<long>().ToArray();
        var (n, t, v) = ((int)ids.shape[0], (int)ids.shape[1], (int)logits.shape[2]);
        double total = 0;
        var count = 0;
        for (var b = 0; b < n; b++)
        {
            for (var i = 0; i < t - 1; i++)
            {
                var target = labelValues[(b * t) + i + 1];
                if (target == -100)
                {
                    continue;
                }

                var row = ((b * t) + i) * v;
                double mean = 0;
                for (var k = 0; k < v; k++)
                {
                    mean -= logp[row + k];
                }

                total += ((1 - smoothing) * -logp[row + (int)target]) + (smoothing * mean / v);
                count++;
            }
        }

        // Reference logits agree to 2e-4 (stories260k README), so the mean loss agrees to about that too.
        Assert.Equal(total / count, output.Loss!.item<float>(), 3e-4);
    }

    [Fact]
    public void Neftune_noise_is_seeded_and_scaled_by_alpha()
    {
        using var ids = _expected.ReadTensor("gen.single0.input_ids");
        using var clean = _model.Forward(new ModelForwardInput(ids));
        using var g1 = new Generator(0).manual_seed(7);
        using var g2 = new Generator(0).manual_seed(7);
        using var noisy1 = _model.Forward(new ModelForwardInput(ids) { NeftuneNoiseAlpha = 5, NoiseGenerator = g1 });
        using var noisy2 = _model.Forward(new ModelForwardInput(ids) { NeftuneNoiseAlpha = 5, NoiseGenerator = g2 });
        using var zero = _model.Forward(new ModelForwardInput(ids) { NeftuneNoiseAlpha = 0 });

        TensorAssert.BitEqual(noisy1.Logits!, noisy2.Logits!);
        TensorAssert.BitEqual(clean.Logits!, zero.Logits!);
        using var change = (noisy1.Logits! - clean.Logits!).abs().max();
        Assert.True(change.item<float>() > 1e-3);
    }

    [Fact]
    public void Forward_and_generate_leave_no_live_tensors()
    {
        using var ids = _expected.ReadTensor("input_ids");
        using var mask = _expected.ReadTensor("attention_mask");
        var prompts = Generation.GreedyGenerationTests.Prompts(_expected, "input_ids", "attention_mask");
        void Work()
        {
            using (var o = _model.Forward(new ModelForwardInput(ids) { AttentionMask = mask, OutputHiddenStates = true, Labels = ids }))
            {
            }

            using (var r = _model.Generate(prompts, new Text2Lora.TextGeneration.GenerationOptions { MaxNewTokens = 4, ReturnStepLogits = true }))
            {
            }
        }

        Work(); // warm-up (lazy tables)
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (var i = 0; i < 3; i++)
        {
            Work();
        }

        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    public void Dispose()
    {
        _expected.Dispose();
        _model.Dispose();
    }
}
