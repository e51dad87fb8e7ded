using Text2Lora.Abstractions;
using Text2Lora.Models.Llama;
using Text2Lora.Tests.Infrastructure;
using static TorchSharp.torch;

namespace Text2Lora.Tests.Models;

/// <summary>
/// <see cref="LossReduction"/>: the model's loss equals the token mean and the reference's per-sample mean
/// (<c>sft_trainer.compute_loss</c>, <c>equally_weight_sample</c>) computed here by hand, in double precision, from
/// the model's own logits, on a batch whose rows have 7, 2 and 1 counted labels.
/// </summary>
[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class LossReductionTests
{
    [Theory]
    [InlineData(0.0, true)]
    [InlineData(0.0, false)]
    [InlineData(0.1, true)]
    [InlineData(0.1, false)]
    public void Token_mean_and_sample_mean_match_their_formulas_and_differ(double smoothing, bool computeLogits)
    {
        using var model = LlamaFamilyModel.Load(FixturePaths.Get("llama", "model"));
        using var ids = randint(3, 512, [3, 8], ScalarType.Int64, generator: new Generator(11));
        // Counted labels (after the shift by one): row 0 all 7, row 1 the last 2, row 2 one, then right padding.
        using var labels = ids.clone();
        labels[0, 0] = tensor(-100L);
        labels[1, ..6] = tensor(-100L);
        labels[2, ..3] = tensor(-100L);
        labels[2, 4..] = tensor(-100L);

        using var logits = model.Forward(new ModelForwardInput(ids)).Logits!.to_type(ScalarType.Float64).cpu();
        var perToken = new List<(int Row, double Loss)>();
        for (var i = 0; i < 3; i++)
        {
            for (var t = 0; t < 7; t++)
            {
                var label = labels[i, t + 1].item<long>();
                if (label == -100)
                {
                    continue;
                }

                // ℓ = (1 − ε)·(−log p_label) + ε·mean_c(−log p_c), log p by a max-shifted log-sum-exp.
                var row = logits[i, t].data<double>().ToArray();
                var max = row.Max();
                var logZ = max + Math.Log(row.Sum(z => Math.Exp(z - max)));
                var nll = logZ - row[label];
                var uniform = row.Average(z => logZ - z);
                perToken.Add((i, ((1 - smoothing) * nll) + (smoothing * uniform)));
            }
        }

        var tokenMean = perToken.Average(p => p.Loss);
        var sampleMean = perToken.GroupBy(p => p.Row).Average(g => g.Average(p => p.Loss));

        var token = Loss(model, ids, labels, smoothing, computeLogits, LossReduction.TokenMean);
        var sample = Loss(model, ids, labels, smoothing, computeLogits, LossReduction.SampleMean);

        // float32 log-softmax over 512 classes against the double computation: a few ulps of a loss ≈ 6.
        Assert.Equal(tokenMean, token, 1e-5);
        Assert.Equal(sampleMean, sample, 1e-5);
        // The modes weigh the rows 7:2:1 vs 1:1:1; on these rows they differ by far more than the tolerance.
        Assert.True(Math.Abs(tokenMean - sampleMean) > 1e-3, $"token mean {tokenMean} vs sample mean {sampleMean}");
    }

    [Fact]
    public void A_row_without_counted_labels_is_left_out_of_the_sample_mean()
    {
        using var model = LlamaFamilyModel.Load(FixturePaths.Get("llama", "model"));
        using var ids = randint(3, 512, [2, 6], ScalarType.Int64, generator: new Generator(12));
        using var labels = ids.clone();
        labels[0, 0] = tensor(-100L);
        labels[1] = tensor(-100L);
        using var first = ids.narrow(0, 0, 1);
        using var firstLabels = labels.narrow(0, 0, 1);

        var both = Loss(model, ids, labels, 0.1, computeLogits: false, LossReduction.SampleMean);
        var alone = Loss(model, first, firstLabels, 0.1, computeLogits: false, LossReduction.SampleMean);

        // The empty row adds neither a term nor a count (the reference would divide 0 by 0).
        Assert.False(double.IsNaN(both));
        Assert.Equal(alone, both, 1e-6);
    }

    private static double Loss(LlamaFamilyModel model, Tensor ids, Tensor labels, double smoothing, bool computeLogits, LossReduction reduction)
    {
        using var output = model.Forward(new ModelForwardInput(ids) { Labels = labels, LabelSmoothing = smoothing, ComputeLogits = computeLogits, LossReduction = reduction });
        return output.Loss!.item<float>();
    }
}
