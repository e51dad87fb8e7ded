using Text2Lora.Abstractions;
using Text2Lora.Tests.Infrastructure;
using Text2Lora.Training.Configuration;
using Text2Lora.Training.Sft;

namespace Text2Lora.Tests.Training.Trainers;

/// <summary><c>lossReduction</c> of an SFT config: the reference's per-sample mean by default, the token mean on request.</summary>
[Trait(TestCategory.Key, TestCategory.Training)]
public sealed class SftLossReductionConfigTests
{
    private static string ShippedConfig => File.ReadAllText(Path.Combine(TrainerFixtures.RepoRoot, "configs", "sft-tiny.json"));

    [Fact]
    public void Default_is_the_references_per_sample_mean()
    {
        Assert.Equal(LossReduction.SampleMean, new SftTrainerOptions().LossReduction);
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("sft.json"), ShippedConfig);
        Assert.Equal(LossReduction.SampleMean, TrainerConfigFile.Load<SftTrainerOptions>(dir.File("sft.json")).LossReduction);
    }

    [Theory]
    [InlineData("tokenMean", LossReduction.TokenMean)]
    [InlineData("sampleMean", LossReduction.SampleMean)]
    public void The_field_is_read(string value, LossReduction expected)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("sft.json"), WithField($"\"{value}\""));
        Assert.Equal(expected, TrainerConfigFile.Load<SftTrainerOptions>(dir.File("sft.json")).LossReduction);
    }

    [Theory]
    [InlineData("\"perSample\"")]
    [InlineData("7")]
    public void An_unknown_value_names_the_field(string value)
    {
        using var dir = new TempDirectory();
        var path = dir.File("sft.json");
        File.WriteAllText(path, WithField(value));
        var ex = Assert.Throws<TrainerConfigException>(() => TrainerConfigFile.Load<SftTrainerOptions>(path));
        Assert.Equal(path, ex.FilePath);
        Assert.Equal("lossReduction", ex.Field);
    }

    private static string WithField(string value)
    {
        const string anchor = "\"labelSmoothing\": 0.1,";
        Assert.Contains(anchor, ShippedConfig, StringComparison.Ordinal);
        return ShippedConfig.Replace(anchor, $"{anchor} \"lossReduction\": {value},", StringComparison.Ordinal);
    }
}
