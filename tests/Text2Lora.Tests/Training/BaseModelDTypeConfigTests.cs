using Text2Lora.Tests.Infrastructure;
using Text2Lora.Training.Configuration;
using Text2Lora.Training.Models;

namespace Text2Lora.Tests.Training;

/// <summary>The base model's <c>"dtype"</c> in trainer configs: read, defaulted, and rejected by name when wrong.</summary>
public sealed class BaseModelDTypeConfigTests
{
    public sealed class WithBaseModel
    {
        public BaseModelOptions BaseModel { get; set; } = new();
    }

    [Theory]
    [InlineData("""{"baseModel": {"directory": "m"}}""", "float32")]
    [InlineData("""{"baseModel": {"directory": "m", "dtype": "bfloat16"}}""", "bfloat16")]
    [InlineData("""{"baseModel": {"directory": "m", "dtype": "float16"}}""", "float16")]
    public void Reads_the_dtype_with_float32_as_default(string json, string expected)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("c.json"), json);

        var options = TrainerConfigFile.Load<WithBaseModel>(dir.File("c.json"));

        Assert.Equal(expected, options.BaseModel.DType);
    }

    [Theory]
    [InlineData("bf16")]
    [InlineData("float64")]
    [InlineData("")]
    public void An_unknown_dtype_names_the_file_and_field(string dtype)
    {
        using var dir = new TempDirectory();
        var path = dir.File("bad.json");
        File.WriteAllText(path, "{\"baseModel\": {\"directory\": \"m\", \"dtype\": \"" + dtype + "\"}}");

        var ex = Assert.Throws<TrainerConfigException>(() => TrainerConfigFile.Load<WithBaseModel>(path));

        Assert.Equal(path, ex.FilePath);
        Assert.Equal("baseModel.dtype", ex.Field);
    }

    [Fact]
    public void Saved_configs_spell_the_field_dtype()
    {
        using var dir = new TempDirectory();
        TrainerConfigFile.Save(new WithBaseModel { BaseModel = new BaseModelOptions { Directory = "m", DType = "bfloat16" } }, dir.File("c.json"));

        Assert.Contains("\"dtype\": \"bfloat16\"", File.ReadAllText(dir.File("c.json")), StringComparison.Ordinal);
    }
}
