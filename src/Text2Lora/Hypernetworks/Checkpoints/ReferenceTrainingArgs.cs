using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Text2Lora.Hypernetworks.Checkpoints;

/// <summary>
/// The fields of a reference <c>args.yaml</c> (a <c>yaml.dump</c> of the training arguments) that shape or place
/// a hypernetwork. Read through YamlDotNet's node model with every scalar kept as text, so values such as
/// <c>save_freq: 10**100</c> (a 101-digit integer) or nulls in fields we ignore cannot break loading.
/// </summary>
internal sealed record ReferenceTrainingArgs
{
    public string? ModelDirectory { get; init; }

    /// <summary>Description encoder; empty means the base model itself embeds descriptions.</summary>
    public string EmbeddingModel { get; init; } = string.Empty;

    public IReadOnlyList<string>? TargetModules { get; init; }

    public HypernetworkTrainingTask TrainingTask { get; init; }

    public bool SharedABHead { get; init; }

    public bool AutoregressiveGeneration { get; init; }

    public bool LearnablePositionEmbedding { get; init; }

    public int LatentSize { get; init; }

    public int HeadInSize { get; init; }

    public string EncoderType { get; init; } = "linear";

    public bool PredictZScore { get; init; }

    public bool Factorized { get; init; }

    public double DeltaWScaling { get; init; }

    public string? MultiTaskLoraPath { get; init; }

    public bool UseOneHotTaskEmbedding { get; init; }

    /// <summary>Parses <paramref name="path"/>.</summary>
    /// <exception cref="HypernetworkCheckpointException">Invalid YAML or a field of the wrong type; names the field.</exception>
    public static ReferenceTrainingArgs Load(string path)
    {
        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            stream.Load(reader);
        }
        catch (YamlException ex)
        {
            throw new HypernetworkCheckpointException(path, null, $"invalid YAML at line {ex.Start.Line}: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            // YamlDotNet's node model reports a key given twice in one mapping as ArgumentException, and some damaged
            // documents as InvalidOperationException ("not valid due to the current state"; fuzzing, task-folder seed 13).
            throw new HypernetworkCheckpointException(path, null, $"invalid YAML: {ex.Message}", ex);
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new HypernetworkCheckpointException(path, null, "expected one YAML document holding a mapping of training arguments.");
        }

        var fields = new Fields(path, root);
        var task = fields.Text("training_task") ?? "sft";
        return new ReferenceTrainingArgs
        {
            ModelDirectory = fields.Text("model_dir"),
            EmbeddingModel = fields.Text("emb_model") ?? string.Empty,
            TargetModules = fields.TextList("target_modules"),
            TrainingTask = task switch
            {
                "sft" => HypernetworkTrainingTask.Sft,
                "recon" => HypernetworkTrainingTask.Recon,
                _ => throw new HypernetworkCheckpointException(path, "training_task", $"'{task}' is neither 'sft' nor 'recon'."),
            },
            SharedABHead = fields.Bool("shared_AB_head", false),
            AutoregressiveGeneration = fields.Bool("autoreg_gen", false),
            LearnablePositionEmbedding = fields.Bool("learnable_pos_emb", false),
            LatentSize = fields.Int("hypernet_latent_size", 128),
            HeadInSize = fields.Int("head_in_size", 512),
            EncoderType = fields.Text("encoder_type") ?? "linear",
            // Reference argument defaults: pred_z_score true; factorized/delta_w_scaling absent in older files.
            PredictZScore = fields.Bool("pred_z_score", true),
            Factorized = fields.Bool("factorized", false),
            DeltaWScaling = fields.Double("delta_w_scaling", 10000),
            MultiTaskLoraPath = fields.Text("mt_lora_path"),
            UseOneHotTaskEmbedding = fields.Bool("use_one_hot_task_emb", false),
        };
    }

    private sealed class Fields(string path, YamlMappingNode root)
    {
        public string? Text(string key)
        {
            if (!root.Children.TryGetValue(new YamlScalarNode(key), out var node))
            {
                return null;
            }

            return node switch
            {
                YamlScalarNode scalar when IsNull(scalar) => null,
                YamlScalarNode scalar => scalar.Value,
                _ => throw new HypernetworkCheckpointException(path, key, $"'{key}' must be a scalar."),
            };
        }

        public IReadOnlyList<string>? TextList(string key)
        {
            if (!root.Children.TryGetValue(new YamlScalarNode(key), out var node) || node is YamlScalarNode s && IsNull(s))
            {
                return null;
            }

            return node is YamlSequenceNode sequence && sequence.Children.All(c => c is YamlScalarNode)
                ? sequence.Children.Cast<YamlScalarNode>().Select(c => c.Value ?? string.Empty).ToArray()
                : throw new HypernetworkCheckpointException(path, key, $"'{key}' must be a list of strings.");
        }

        public bool Bool(string key, bool fallback) => Text(key) switch
        {
            null => fallback,
            "true" or "True" or "TRUE" => true,
            "false" or "False" or "FALSE" => false,
            var other => throw new HypernetworkCheckpointException(path, key, $"'{key}' must be true or false, got '{other}'."),
        };

        public int Int(string key, int fallback) => Text(key) is not { } text
            ? fallback
            : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
                ? value
                : throw new HypernetworkCheckpointException(path, key, $"'{key}' must be a positive integer, got '{text}'.");

        public double Double(string key, double fallback) => Text(key) is not { } text
            ? fallback
            : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 && double.IsFinite(value)
                ? value
                : throw new HypernetworkCheckpointException(path, key, $"'{key}' must be a positive number, got '{text}'.");

        // YAML 1.1/1.2 nulls as PyYAML writes them; quoted scalars are strings.
        private static bool IsNull(YamlScalarNode scalar) =>
            scalar.Style is ScalarStyle.Plain or ScalarStyle.Any && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";
    }
}
