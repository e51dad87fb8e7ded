using Text2Lora.Evaluation.Benchmarks;
using Text2Lora.Hypernetworks;
using Text2Lora.Hypernetworks.Checkpoints;
using Text2Lora.IO.Peft;
using Text2Lora.IO.Safetensors;
using Text2Lora.Models.Llama;
using Text2Lora.Tokenization;
using Text2Lora.Training.Configuration;
using Text2Lora.Tasks;
using Text2Lora.Training.Sft;
using static TorchSharp.torch;

namespace Text2Lora.FuzzRunner;

/// <summary>Every format Text2Lora parses, with its seed and its reader.</summary>
internal static class FuzzFormats
{
    /// <summary>Seeds live next to the runner (copied from the test fixtures and the repository's data at build time).</summary>
    public static string Seeds => Path.Combine(AppContext.BaseDirectory, "Seeds");

    /// <summary>The native hypernetwork seed is written at run time (by saving the reference M_sft checkpoint).</summary>
    public const string NativeSeed = "native-hypernetwork";

    public static IReadOnlyList<FuzzFormat> All { get; } =
    [
        new("safetensors", "lora_qv", [("adapter_model.safetensors", Mutators.Safetensors)], ReadSafetensors),
        new("peft", "lora_qv", [("adapter_config.json", Mutators.Json), ("adapter_model.safetensors", Mutators.Safetensors)], ReadPeft),
        new("hypermod-pt", "M_sft", [("hypermod.pt", Mutators.TorchZip)], ReadReference),
        new("args-yaml", "M_sft", [("args.yaml", Mutators.Yaml), ("adapter_config.json", Mutators.Json)], ReadReference),
        new("hypernetwork", NativeSeed, [("hypernetwork.json", Mutators.Json), ("hypernetwork.safetensors", Mutators.Safetensors)], ReadNative),
        new("config-json", "llama-model", [("config.json", Mutators.Json)], ReadModel),
        new("tokenizer-json", "mini-bpe", [("tokenizer.json", Mutators.Json)], ReadTokenizer),
        new("tokenizer-model", "stories260k", [("tokenizer.model", Mutators.Bytes)], ReadTokenizer),
        new("tokenizer-config", "stories260k", [("tokenizer_config.json", Mutators.Json)], ReadTokenizer),
        new("task-folder", "task", [("metadata.yaml", Mutators.Yaml), ("train.jsonl", Mutators.JsonLines), ("test.jsonl", Mutators.JsonLines)], ReadTask),
        new("trainer-config", "trainer", [("sft-tiny.json", Mutators.Json)], ReadTrainerConfig),
        new("gte-vocab", "gte", [("vocab.txt", Mutators.Lines)], ReadGte),
        new("benchmark-jsonl", "bench", [("arc_easy.jsonl", Mutators.JsonLines), ("boolq.jsonl", Mutators.JsonLines), ("gsm8k.jsonl", Mutators.JsonLines), ("hellaswag.jsonl", Mutators.JsonLines)], ReadBenchmarks),
    ];

    public static FuzzFormat Get(string name) =>
        All.FirstOrDefault(f => f.Name == name) ?? throw new ArgumentException($"Unknown format '{name}'; known: {string.Join(", ", All.Select(f => f.Name))}.");

    /// <summary>Seeds that are generated rather than copied: the native hypernetwork and the byte-level BPE tokenizer folder.</summary>
    public static void PrepareGeneratedSeeds(string seedRoot)
    {
        var native = Path.Combine(seedRoot, NativeSeed);
        if (!File.Exists(Path.Combine(native, "hypernetwork.json")))
        {
            using var hypernetwork = HypernetworkCheckpoint.Load(Path.Combine(Seeds, "M_sft"), Path.Combine(Seeds, "llama-model"));
            HypernetworkCheckpoint.Save(hypernetwork, native);
        }

        var bpe = Path.Combine(seedRoot, "mini-bpe");
        if (!File.Exists(Path.Combine(bpe, "tokenizer.json")))
        {
            Directory.CreateDirectory(bpe);
            Text2Lora.Tests.Tokenization.MiniByteLevelTokenizers.WriteQwen2(bpe);
        }
    }

    private static void ReadSafetensors(string folder)
    {
        using var file = SafetensorsFile.Open(Path.Combine(folder, "adapter_model.safetensors"));
        foreach (var key in file.Keys)
        {
            var info = file.GetInfo(key);
            using var tensor = file.ReadTensor(key);
            Require(tensor.shape.SequenceEqual(info.Shape), $"{key}: read shape differs from the header");
        }
    }

    private static void ReadPeft(string folder)
    {
        using var adapter = PeftAdapterFolder.Load(folder);
        foreach (var (path, weights) in adapter.Modules)
        {
            Require(weights.A.shape.Length == 2 && weights.B.shape.Length == 2 && weights.A.shape[0] == weights.B.shape[1], $"{path}: A/B ranks differ");
            Require(double.IsFinite(weights.Scaling) && weights.Scaling > 0, $"{path}: scaling {weights.Scaling}");
        }
    }

    private static void ReadReference(string folder) =>
        CheckHypernetwork(HypernetworkCheckpoint.Load(folder, Path.Combine(Seeds, "llama-model")));

    private static void ReadNative(string folder) => CheckHypernetwork(HypernetworkCheckpoint.Load(folder));

    /// <summary>An accepted hypernetwork must generate factors of the shapes its targets declare, all finite.</summary>
    private static void CheckHypernetwork(T2LHypernetwork hypernetwork)
    {
        using (hypernetwork)
        using (NewDisposeScope())
        {
            var embedding = ones(1, hypernetwork.Module.Architecture.TaskEmbeddingSize);
            foreach (var adapter in hypernetwork.Generate(embedding))
            {
                using (adapter)
                {
                    foreach (var (path, weights) in adapter.Modules)
                    {
                        var module = hypernetwork.Targets.Modules.FirstOrDefault(m => Enumerable.Range(0, hypernetwork.Targets.LayerCount).Any(layer => m.PathForLayer(layer) == path));
                        Require(module is not null, $"{path}: not the path of a declared target module");
                        Require(weights.A.shape[^1] == module!.InFeatures && weights.B.shape[0] == module.OutFeatures, $"{path}: factor shapes do not match in/out features");
                    }
                }
            }
        }
    }

    private static void ReadModel(string folder)
    {
        using var model = LlamaFamilyModel.Load(folder);
        using var scope = NewDisposeScope();
        var ids = tensor(new long[] { 1, 2, 3 }).unsqueeze(0).remainder(model.Config.VocabSize);
        var logits = model.Forward(new Text2Lora.Abstractions.ModelForwardInput(ids)).Logits!;
        Require(logits.shape.SequenceEqual(new long[] { 1, 3, model.Config.VocabSize }), "logits shape differs from [1, 3, vocab_size]");
    }

    private static void ReadTokenizer(string folder)
    {
        var tokenizer = TokenizerLoader.Load(folder);
        var ids = tokenizer.Encode("Hello world! 123 café\nonce upon a time");
        Require(ids.All(id => id >= 0 && id < tokenizer.VocabularySize), "an encoded id lies outside the vocabulary");
        _ = tokenizer.Decode(ids);
    }

    /// <summary>
    /// An accepted gte vocabulary must give ids inside the model's embedding table (config.json <c>vocab_size</c>) for
    /// every entry and for ordinary text. The tokenizer is read as <c>GteTaskEncoder.Load</c> reads it, without the
    /// model (the embedding lookup is then in range by construction).
    /// </summary>
    private static void ReadGte(string folder)
    {
        var config = Text2Lora.Models.Gte.GteConfig.Load(folder);
        var tokenizer = WordPieceTextTokenizer.Load(folder, config.MaxPositionEmbeddings, config.VocabSize);
        var vocabulary = File.ReadAllText(Path.Combine(folder, "vocab.txt")).Split('\n');
        foreach (var text in vocabulary.Chunk(64).Select(chunk => string.Join(' ', chunk)).Append("Hello world! 123 café\nonce upon a time"))
        {
            var ids = tokenizer.Encode(text);
            Require(ids.All(id => id >= 0 && id < config.VocabSize), "an encoded id lies outside the model's vocabulary");
            Require(ids[0] == tokenizer.ClsTokenId && ids[^1] == tokenizer.SepTokenId && ids.Count <= tokenizer.MaxLength, "encoding not [CLS] … [SEP] within the length limit");
        }
    }

    private static void ReadTask(string folder)
    {
        var task = TaskFolderReader.ReadTask(folder);
        Require(task.Descriptions.Count > 0 && task.Descriptions.All(d => !string.IsNullOrWhiteSpace(d)), "no usable description");
        Require(task.Train.All(e => e.Input is not null && e.Output is not null), "an example has a null field");
    }

    private static void ReadTrainerConfig(string folder)
    {
        var options = TrainerConfigFile.Load<SftTrainerOptions>(Path.Combine(folder, "sft-tiny.json"));
        Require(options is not null, "null options");
    }

    private static void ReadBenchmarks(string folder)
    {
        foreach (var (file, benchmark) in new[] { ("arc_easy.jsonl", "arc_easy"), ("boolq.jsonl", "boolq"), ("gsm8k.jsonl", "gsm8k"), ("hellaswag.jsonl", "hellaswag") })
        {
            var items = BenchmarkCatalog.Get(benchmark).Load(Path.Combine(folder, file), BenchmarkPromptFormat.Harness);
            Require(items.All(item => item is not null), $"{file}: a null item");
        }
    }

    private static void Require(bool condition, string problem)
    {
        if (!condition)
        {
            throw new InconsistentResultException(problem);
        }
    }
}
