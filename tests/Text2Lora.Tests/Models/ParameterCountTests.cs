using Text2Lora.IO.Safetensors;
using Text2Lora.Models.Llama;
using Text2Lora.Tests.Infrastructure;

namespace Text2Lora.Tests.Models;

/// <summary>Parameter counts from config.json alone, against checkpoint files and published model sizes.</summary>
[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class ParameterCountTests
{
    [Theory]
    [InlineData("llama")]
    [InlineData("llama32_tied")]
    [InlineData("mistral")]
    [InlineData("stories260k")]
    public void Count_equals_the_elements_stored_in_the_checkpoint(string fixture)
    {
        var folder = FixturePaths.Get(fixture, "model");
        using var file = SafetensorsFile.Open(Path.Combine(folder, "model.safetensors"));
        var stored = file.Keys.Sum(k => file.GetInfo(k).Shape.Aggregate(1L, (product, size) => product * size));

        Assert.Equal(stored, LlamaFamilyModel.CountParameters(LlamaFamilyConfig.Load(folder)));
    }

    [Fact]
    public void Stories260k_has_the_260032_parameters_its_readme_states() =>
        Assert.Equal(260_032, LlamaFamilyModel.CountParameters(LlamaFamilyConfig.Load(Stories260k.ModelDirectory)));

    // Totals of the models' published safetensors checkpoints (the parameter counts their Hugging Face pages show).
    [Theory]
    [InlineData("mistral-7b-instruct-v0.2", 7_241_732_096)]
    [InlineData("llama-3.1-8b-instruct", 8_030_261_248)]
    [InlineData("gemma-2-2b-it", 2_614_341_888)]
    [InlineData("qwen2.5-7b-instruct", 7_615_616_512)]
    public void Real_configs_give_the_published_sizes(string name, long expected) =>
        Assert.Equal(expected, LlamaFamilyModel.CountParameters(LlamaFamilyConfig.Load(Path.Combine(AppContext.BaseDirectory, "Models", "Configs", name + ".json"))));
}
