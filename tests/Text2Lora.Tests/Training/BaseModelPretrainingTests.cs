using Text2Lora.Models.Llama;
using Text2Lora.Tests.Infrastructure;
using Text2Lora.Tests.TaskSuite;
using Text2Lora.Tokenization;
using Text2Lora.Training.Configuration;
using Text2Lora.Tasks;
using Text2Lora.Training.Data;
using Text2Lora.Training.Loop;
using Text2Lora.Training.Pretraining;

namespace Text2Lora.Tests.Training;

/// <summary>Pretraining the tiny base model from scratch on instruction-formatted task-suite examples.</summary>
[Trait(TestCategory.Key, TestCategory.Training)]
public sealed class BaseModelPretrainingTests
{
    private static string RepositoryRoot => Path.GetDirectoryName(Path.GetDirectoryName(CommittedSuite.Root))!;

    private static string TokenizerDirectory => Path.Combine(RepositoryRoot, "data", "tokenizers", "stories260k");

    [Fact]
    public void The_committed_config_is_valid_and_trains_only_on_the_suites_training_tasks()
    {
        var options = TrainerConfigFile.Load<BaseModelPretrainingOptions>(Path.Combine(RepositoryRoot, "configs", "reproduce", "base.json"));
        var manifest = TaskSuiteManifest.Read(Path.Combine(RepositoryRoot, options.TaskSuiteDirectory));

        Assert.Empty(options.Tasks); // empty: the manifest's train list
        Assert.Equal(CommittedSuite.TrainTasks, manifest.Train);
        Assert.Equal(CommittedSuite.HeldoutTasks, manifest.Heldout);
        Assert.Empty(manifest.Train.Intersect(manifest.Heldout));
    }

    [Fact]
    public void The_committed_base_model_loads_normally_and_matches_the_committed_config()
    {
        var folder = Path.Combine(RepositoryRoot, "models", "t2l-tiny-base");
        var options = TrainerConfigFile.Load<BaseModelPretrainingOptions>(Path.Combine(RepositoryRoot, "configs", "reproduce", "base.json"));
        using var model = LlamaFamilyModel.Load(folder);
        var tokenizer = TokenizerLoader.Load(folder);

        var expected = options.Model.ToConfig(tokenizer.VocabularySize, tokenizer.BosTokenId, tokenizer.EosTokenIds, 0);
        Assert.Equal(expected with { EosTokenIds = model.Config.EosTokenIds }, model.Config with { SlidingWindowLayers = expected.SlidingWindowLayers });
        Assert.Equal(File.ReadAllBytes(Path.Combine(TokenizerDirectory, "tokenizer.model")), File.ReadAllBytes(Path.Combine(folder, "tokenizer.model")));
        Assert.True(File.Exists(Path.Combine(folder, "LICENSE")));
        Assert.Equal(options.Model.HiddenSize, TrainerConfigFile.Load<BaseModelPretrainingOptions>(Path.Combine(folder, BaseModelPretrainingObjective.OptionsFileName)).Model.HiddenSize);
    }

    [Fact]
    public void A_missing_or_malformed_manifest_names_the_file()
    {
        using var folder = new TempDirectory();
        var missing = Assert.Throws<TaskDataFormatException>(() => TaskSuiteManifest.Read(folder.Path));
        Assert.Contains("suite.yaml", missing.Message, StringComparison.Ordinal);

        File.WriteAllText(folder.File("suite.yaml"), "name: x\nheldout:\n- a\n");
        var noTrain = Assert.Throws<TaskDataFormatException>(() => TaskSuiteManifest.Read(folder.Path));
        Assert.Contains("'train' is missing", noTrain.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Described_prompt_keeps_the_inputs_tokens_as_in_the_input_only_prompt()
    {
        var tokenizer = TokenizerLoader.Load(TokenizerDirectory);
        foreach (var input in new[] { "donkey", "laugh rock olive bucket", "377", "28 74", "Leo and Anna were cross" })
        {
            var alone = tokenizer.Encode(DescribedInput.Compose(null, input), addSpecialTokens: false);
            var described = tokenizer.Encode(DescribedInput.Compose("  Reverse the word. ", input), addSpecialTokens: false);

            Assert.Equal(alone, described.Skip(described.Count - alone.Count));
            Assert.StartsWith("Reverse the word.\nInput: ", DescribedInput.Compose("  Reverse the word. ", input), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Padded_batch_pads_ids_with_the_pad_id_and_labels_with_ignore()
    {
        const int I = TokenizedExample.IgnoreIndex;
        TokenizedExample[] examples = [new([1, 10, 11, 2], [I, I, 11, 2]), new([1, 12, 2], [I, 12, 2])];

        using var batch = TrainingBatch.Create(examples, padTokenId: 0, TorchSharp.torch.CPU);
        Assert.Equal([1L, 10, 11, 2, 1, 12, 2, 0], batch.InputIds.data<long>().ToArray());
        Assert.Equal([(long)I, I, 11, 2, I, 12, 2, I], batch.Labels.data<long>().ToArray());
        Assert.Equal(4, batch.LabelledTokens);
    }

    [Fact]
    public void Too_few_examples_for_the_validation_share_is_an_error_naming_the_task()
    {
        var tokenizer = TokenizerLoader.Load(TokenizerDirectory);
        var options = new BaseModelPretrainingOptions { ValidationExamplesPerTask = 2 };
        var config = options.Model.ToConfig(tokenizer.VocabularySize, tokenizer.BosTokenId, tokenizer.EosTokenIds, 0);
        using var model = LlamaFamilyModel.CreateRandom(config, seed: 1);
        TrainingTask task = new("tiny_task", ["Do it."], [new("a", "b"), new("c", "d")], []);

        var error = Assert.Throws<ArgumentException>(() => new BaseModelPretrainingObjective(model, tokenizer, [task], options));
        Assert.Contains("tiny_task", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Corpus_records_fill_their_share_of_a_batch_and_no_share_draws_nothing_extra()
    {
        var tokenizer = TokenizerLoader.Load(TokenizerDirectory);
        var config = new BaseModelPretrainingOptions().Model.ToConfig(tokenizer.VocabularySize, tokenizer.BosTokenId, tokenizer.EosTokenIds, 0);
        using var model = LlamaFamilyModel.CreateRandom(config, seed: 1);
        TrainingTask task = new("tiny_task", ["Copy the word."], [.. Enumerable.Range(0, 12).Select(i => new TaskExample($"word{i}", $"word{i}"))], []);
        TaskExample record = new("seven in digits", "7");
        var formatter = new PromptFormatter(tokenizer, chatTemplate: null);

        // corpusFraction 1: every sequence is the (only) corpus record, so the loss is that record's loss.
        var onlyCorpus = new BaseModelPretrainingObjective(model, tokenizer, [task], new BaseModelPretrainingOptions { BatchSize = 4, CorpusFraction = 1, ValidationExamplesPerTask = 2 }, [record]);
        using var loss = onlyCorpus.ComputeLoss(new TrainingStepContext(0, 0, new TrainingRandom(3)));
        using var batch = TrainingBatch.Create([.. Enumerable.Repeat(formatter.Format(record), 4)], 0, model.Device);
        using var expected = batch.Loss(model, adapters: null);
        Assert.Equal(expected.item<float>(), loss.item<float>(), 5);

        // corpusFraction 0: the corpus is ignored and the random source advances exactly as without one (older runs reproduce).
        var withCorpus = new BaseModelPretrainingObjective(model, tokenizer, [task], new BaseModelPretrainingOptions { BatchSize = 4, ValidationExamplesPerTask = 2 }, [record]);
        var without = new BaseModelPretrainingObjective(model, tokenizer, [task], new BaseModelPretrainingOptions { BatchSize = 4, ValidationExamplesPerTask = 2 });
        TrainingRandom first = new(9), second = new(9);
        using var a = withCorpus.ComputeLoss(new TrainingStepContext(0, 0, first));
        using var b = without.ComputeLoss(new TrainingStepContext(0, 0, second));
        Assert.Equal(b.item<float>(), a.item<float>());
        Assert.Equal(second.GetState(), first.GetState());
    }

    [Fact]
    public void Corpus_options_that_cannot_be_honoured_are_errors_naming_the_field_or_file()
    {
        var tokenizer = TokenizerLoader.Load(TokenizerDirectory);
        var config = new BaseModelPretrainingOptions().Model.ToConfig(tokenizer.VocabularySize, tokenizer.BosTokenId, tokenizer.EosTokenIds, 0);
        using var model = LlamaFamilyModel.CreateRandom(config, seed: 1);
        TrainingTask task = new("tiny_task", ["Copy the word."], [.. Enumerable.Range(0, 12).Select(i => new TaskExample($"word{i}", $"word{i}"))], []);

        var empty = Assert.Throws<ArgumentException>(() => new BaseModelPretrainingObjective(model, tokenizer, [task], new BaseModelPretrainingOptions { CorpusFraction = 0.5, ValidationExamplesPerTask = 2 }, []));
        Assert.Contains("corpus", empty.Message, StringComparison.Ordinal);

        var unread = new BaseModelPretrainingOptions { Loop = new TrainingLoopOptions { OutputDirectory = "out" }, CorpusFiles = ["generic.jsonl"] };
        Assert.Equal("corpusFraction", Assert.Throws<TrainerConfigException>(() => new BaseModelTrainer(unread)).Field);

        var outOfRange = new BaseModelPretrainingOptions { Loop = new TrainingLoopOptions { OutputDirectory = "out" }, CorpusFraction = 1.5 };
        Assert.Equal("corpusFraction", Assert.Throws<TrainerConfigException>(() => new BaseModelTrainer(outOfRange)).Field);
    }

    [Fact]
    public void The_v2_config_mixes_in_the_suites_generic_corpus()
    {
        var options = TrainerConfigFile.Load<BaseModelPretrainingOptions>(Path.Combine(RepositoryRoot, "configs", "reproduce-v2", "base.json"));
        var manifest = TaskSuiteManifest.Read(options.TaskSuiteDirectory);

        Assert.InRange(options.CorpusFraction, 0.05, 0.5);
        Assert.Empty(options.CorpusFiles); // empty: the suite's pretraining: list
        Assert.Equal(["pretraining/generic.jsonl"], manifest.Pretraining);
        Assert.True(TaskFolderReader.ReadExamples(Path.Combine(options.TaskSuiteDirectory, manifest.Pretraining[0])).Count > 400);
    }

    [Fact]
    public async Task Training_from_scratch_lowers_the_loss_and_writes_a_model_folder_that_loads_normally()
    {
        using var output = new TempDirectory();
        var options = new BaseModelPretrainingOptions
        {
            Loop = new TrainingLoopOptions { OutputDirectory = output.Path, MaxSteps = 40, LearningRate = 3e-3, WarmupFraction = 0.1, ValidateEvery = 20, CheckpointEvery = 0, Seed = 5 },
            Model = new BaseModelArchitecture { HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 1, NumAttentionHeads = 2, NumKeyValueHeads = 1, MaxPositionEmbeddings = 160 },
            TaskSuiteDirectory = CommittedSuite.Root,
            Tasks = ["parity", "uppercase_word", "first_word"],
            TokenizerDirectory = TokenizerDirectory,
            BatchSize = 8,
            ValidationExamplesPerTask = 4,
        };

        var result = await new BaseModelTrainer(options).TrainAsync();

        Assert.Equal(40, result.Steps);
        Assert.True(result.FinalTrainLoss < result.FirstTrainLoss - 1.0, $"loss {result.FirstTrainLoss} → {result.FinalTrainLoss}");
        Assert.NotNull(result.BestValidationLoss);
        var folder = result.ArtifactDirectory;
        foreach (var file in new[] { "config.json", "generation_config.json", "model.safetensors", "tokenizer.model", "tokenizer_config.json", "LICENSE", "PROVENANCE.md", BaseModelPretrainingObjective.OptionsFileName })
        {
            Assert.True(File.Exists(Path.Combine(folder, file)), file);
        }

        using var model = LlamaFamilyModel.Load(folder);
        var tokenizer = TokenizerLoader.Load(folder);
        Assert.Equal(512, model.Config.VocabSize);
        Assert.Equal(tokenizer.BosTokenId, model.Config.BosTokenId);
        Assert.Equal(tokenizer.EosTokenIds, model.Config.EosTokenIds);
        Assert.True(model.Config.TieWordEmbeddings);
        Assert.Equal(options.Tasks, TrainerConfigFile.Load<BaseModelPretrainingOptions>(Path.Combine(folder, BaseModelPretrainingObjective.OptionsFileName)).Tasks);
    }

    [Fact]
    public void Invalid_architecture_is_reported_with_its_field()
    {
        var options = new BaseModelPretrainingOptions
        {
            Loop = new TrainingLoopOptions { OutputDirectory = "out" },
            Model = new BaseModelArchitecture { HiddenSize = 100, NumAttentionHeads = 3 },
        };

        var error = Assert.Throws<TrainerConfigException>(() => new BaseModelTrainer(options));
        Assert.Equal("model.numAttentionHeads", error.Field);
    }
}
