using System.CommandLine;
using Text2Lora.Abstractions;
using Text2Lora.Cli.Commands;
using Text2Lora.Hypernetworks;
using Text2Lora.Hypernetworks.Checkpoints;
using Text2Lora.IO.Peft;
using Text2Lora.IO.Safetensors;
using Text2Lora.Lora;
using Text2Lora.Models.Llama;
using Text2Lora.Tests.Hypernetworks;
using Text2Lora.Tests.Infrastructure;
using Text2Lora.Tests.Models;
using static TorchSharp.torch;

namespace Text2Lora.Tests.EndToEnd;

/// <summary>
/// The product's main path with real components only: a hypernetwork checkpoint → <c>t2l generate</c> → a PEFT
/// folder on disk → the base model's runtime LoRA → logits, checked against the T2L reference's own outputs.
/// </summary>
[Trait(TestCategory.Key, TestCategory.EndToEnd)]
public sealed class GenerateToBaseModelTests
{
    private static int Generate(params string[] args)
    {
        var root = new RootCommand { GenerateCommand.Create(new HypernetworkLoader()) };
        return root.Parse(["generate", .. args]).Invoke();
    }

    [Theory]
    [InlineData("M_sft")]
    [InlineData("L_sft")]
    [InlineData("S_sft")]
    public void Reference_checkpoint_via_cli_gives_the_reference_lora_and_logits(string variant)
    {
        using var work = new TempDirectory();
        var fixture = T2LFixtures.Directory(variant);
        using (var embedding = T2LFixtures.TaskEmbedding(variant))
        {
            SafetensorsWriter.Write(work.File("emb.safetensors"), [KeyValuePair.Create(GenerateCommand.TaskEmbeddingKey, embedding)]);
        }

        var exit = Generate("--hypernetwork", fixture, "--base-model", FixturePaths.Get("llama", "model"),
            "--task-embedding", work.File("emb.safetensors"), "--output", work.File("adapter"));
        Assert.Equal(0, exit);

        // The written folder holds the reference's LoRA (README: atol 1e-5)...
        using var written = PeftAdapterFolder.Load(work.File("adapter"));
        var reference = T2LFixtures.GeneratedLora(variant);
        foreach (var (key, expected) in reference)
        {
            var module = key["base_model.model.".Length..key.IndexOf(".lora_", StringComparison.Ordinal)];
            var actual = key.Contains("lora_A", StringComparison.Ordinal) ? written.Modules[module].A : written.Modules[module].B;
            TensorAssert.Close(expected, actual, T2LFixtures.Tolerance);
            expected.Dispose();
        }

        // ...with rsLoRA scaling alpha/sqrt(r) = 8/2 ...
        Assert.All(written.Modules.Values, w => Assert.Equal(4.0, w.Scaling, 12));

        // ...and the base model with it reproduces the reference's logits (README: atol 1e-4 on valid positions).
        using var model = LlamaFamilyModel.Load(FixturePaths.Get("llama", "model"));
        using var inputs = SafetensorsFile.Open(FixturePaths.Get("llama", "expected.safetensors"));
        using var outputs = SafetensorsFile.Open(Path.Combine(fixture, "expected.safetensors"));
        using var ids = inputs.ReadTensor("input_ids");
        using var mask = inputs.ReadTensor("attention_mask");
        using var active = model.PrepareAdapter(written);
        using var output = model.Forward(new ModelForwardInput(ids) { AttentionMask = mask, Adapters = active });
        using var expectedLogits = outputs.ReadTensor("lora.logits");
        LlamaFamilyParityTests.AssertValidClose(expectedLogits, output.Logits!, mask, 1e-4);
    }

    [Fact]
    public void Description_via_minilm_and_own_format_checkpoint_gives_a_working_adapter()
    {
        using var work = new TempDirectory();
        var baseModel = FixturePaths.Get("llama", "model");
        using (var hypernetwork = MiniLmHypernetworks.CreateM())
        {
            HypernetworkCheckpoint.Save(hypernetwork, work.File("hypernetwork"));
        }

        const string Description = "Reverse the letters of the given word.";
        Assert.Equal(0, Generate("--hypernetwork", work.File("hypernetwork"), "--description", Description, "--output", work.File("a1")));
        Assert.Equal(0, Generate("--hypernetwork", work.File("hypernetwork"), "--description", Description, "--output", work.File("a2")));
        Assert.Equal(0, Generate("--hypernetwork", work.File("hypernetwork"), "--description", "Add one to the number.", "--output", work.File("b")));

        using var first = PeftAdapterFolder.Load(work.File("a1"));
        using var again = PeftAdapterFolder.Load(work.File("a2"));
        using var other = PeftAdapterFolder.Load(work.File("b"));
        Assert.Equal(Description, first.TaskDescription);
        Assert.Equal(4, first.Modules.Count); // 2 layers × {q_proj, v_proj}
        foreach (var (path, weights) in first.Modules)
        {
            TensorAssert.BitEqual(weights.A, again.Modules[path].A); // deterministic generation
            Assert.True(weights.A.sub(other.Modules[path].A).abs().max().item<float>() > 1e-4, "different descriptions must give different adapters");
        }

        // The adapter plugs into the base model and changes its output.
        using var model = LlamaFamilyModel.Load(baseModel);
        using var ids = tensor(new long[] { 1, 17, 42, 99, 7 }).unsqueeze(0);
        using var plain = model.Forward(new ModelForwardInput(ids));
        using var active = model.PrepareAdapter(first);
        using var adapted = model.Forward(new ModelForwardInput(ids) { Adapters = active });
        Assert.True(plain.Logits!.sub(adapted.Logits!).abs().max().item<float>() > 1e-3);
    }
}
