using Text2Lora.LoraGeneration;
using Text2Lora.Cli.Commands;
using Text2Lora.Encoders;
using Text2Lora.Evaluation.Demo;
using Text2Lora.Evaluation.TaskSuite;
using Text2Lora.Hypernetworks.Checkpoints;
using Text2Lora.IO.Peft;
using Text2Lora.Models.Llama;
using Text2Lora.Tests.Infrastructure;
using Text2Lora.Tests.TaskSuite;
using Text2Lora.Tokenization;
using Text2Lora.Tasks;
using static TorchSharp.torch;

namespace Text2Lora.Tests.Cli;

/// <summary>
/// <c>t2l demo</c> on the committed tiny base model and T2L-reconstruction hypernetwork. The assertions hold for any
/// rerun of <c>t2l reproduce</c>: they compare the demo's columns with the library's own paths, not with fixed text.
/// </summary>
[Trait(TestCategory.Key, TestCategory.EndToEnd)]
public sealed class DemoCommandTests
{
    private static readonly string Root = Path.GetDirectoryName(Path.GetDirectoryName(CommittedSuite.Root))!;
    private static readonly string Model = Path.Combine(Root, DemoCommand.DefaultModel);
    private static readonly string Hypernetwork = Path.Combine(Root, DemoCommand.DefaultHypernetwork);

    [Fact]
    public async Task Columns_equal_the_trained_prompt_formats_and_the_saved_adapter_is_the_generated_one()
    {
        using var dir = new TempDirectory();
        var request = new DemoRequest(DemoCommand.DefaultDescription, ["donkey", "apple", "forest"], Model, Hypernetwork, dir.File("adapter"), 12);

        var result = await DemoCommand.RunAsync(new HypernetworkLoader(), request, CancellationToken.None);

        Assert.Equal(["donkey", "apple", "forest"], result.Rows.Select(r => r.Input));
        using var adapter = PeftAdapterFolder.Load(dir.File("adapter"));
        Assert.Equal(DemoCommand.DefaultDescription, adapter.TaskDescription);

        // The saved adapter is what the library generates for the description.
        using (var miniLm = new MiniLmTaskEncoder())
        using (var generator = Text2LoraBuilder.Create().WithHypernetwork(Hypernetwork).WithBaseModel(Model).WithTaskEncoder(miniLm).Build())
        using (var expected = generator.FromDescription(DemoCommand.DefaultDescription))
        {
            Assert.Equal(expected.Modules.Keys.Order(), adapter.Modules.Keys.Order());
            foreach (var (path, weights) in expected.Modules)
            {
                TensorAssert.BitEqual(weights.A, adapter.Modules[path].A);
                TensorAssert.BitEqual(weights.B, adapter.Modules[path].B);
            }
        }

        // Each column is what the task-suite scorer answers for the same prompt format (the formats the models were trained on).
        using var model = LlamaFamilyModel.Load(Model);
        var tokenizer = TokenizerLoader.Load(Model);
        TaskSuitePrompt Prompt(string text, Text2Lora.Lora.LoraAdapter? with = null) => new("t", 0, text, "", TaskScoring.Exact, with);
        var inputs = request.Inputs;
        var plain = TaskSuiteAnswering.Answer(model, tokenizer, inputs.Select(i => Prompt(i)).ToList(), 8, 12);
        var described = TaskSuiteAnswering.Answer(model, tokenizer, inputs.Select(i => Prompt(DescribedInput.Compose(request.Description, i))).ToList(), 8, 12);
        var adapted = TaskSuiteAnswering.Answer(model, tokenizer, inputs.Select(i => Prompt(i, adapter)).ToList(), 8, 12);
        Assert.Equal(plain.Select(a => a.Generated), result.Rows.Select(r => r.Base));
        Assert.Equal(described.Select(a => a.Generated), result.Rows.Select(r => r.BaseWithDescription));
        Assert.Equal(adapted.Select(a => a.Generated), result.Rows.Select(r => r.Adapted));
        Assert.True(result.AdapterParameters > 0);
    }

    [Fact]
    public void The_command_prints_every_input_with_the_committed_defaults()
    {
        var (code, output) = LogitsCommandTests.RunTool("demo --input donkey --input juice --max-new-tokens 8");

        Assert.True(code == 0, output);
        Assert.Contains(DemoCommand.DefaultDescription, output, StringComparison.Ordinal);
        Assert.Contains("donkey", output, StringComparison.Ordinal);
        Assert.Contains("juice", output, StringComparison.Ordinal);
        Assert.Contains("base + generated adapter", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_model_folder_is_an_input_error_naming_it()
    {
        using var dir = new TempDirectory();
        var (code, output) = LogitsCommandTests.RunTool($"demo --model \"{dir.File("nope")}\"");

        Assert.Equal(CliErrors.InputError, code);
        Assert.Contains("nope", output, StringComparison.Ordinal);
        Assert.Contains("pass --model DIR", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_hypernetwork_folder_is_an_input_error_naming_it_and_the_option()
    {
        using var dir = new TempDirectory();
        var (code, output) = LogitsCommandTests.RunTool($"demo --hypernetwork \"{dir.File("no-hypernetwork")}\"");

        Assert.Equal(CliErrors.InputError, code);
        Assert.Contains("no-hypernetwork", output, StringComparison.Ordinal);
        Assert.Contains("pass --hypernetwork DIR", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_save_folder_with_other_files_is_refused_and_a_previous_adapter_is_replaced()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("keep.txt"), "mine");
        var refused = new DemoRequest(DemoCommand.DefaultDescription, ["donkey"], Model, Hypernetwork, dir.Path, 4);

        var ex = await Assert.ThrowsAsync<CliUsageException>(() => DemoCommand.RunAsync(new HypernetworkLoader(), refused, CancellationToken.None));
        Assert.Contains("keep.txt", ex.Message, StringComparison.Ordinal);
        Assert.Equal(["keep.txt"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));

        var folder = dir.File("adapter");
        await DemoCommand.RunAsync(new HypernetworkLoader(), refused with { SaveAdapterDirectory = folder, Description = "Double the number." }, CancellationToken.None);
        await DemoCommand.RunAsync(new HypernetworkLoader(), refused with { SaveAdapterDirectory = folder }, CancellationToken.None);
        using var adapter = PeftAdapterFolder.Load(folder);
        Assert.Equal(DemoCommand.DefaultDescription, adapter.TaskDescription);
    }
}
