using System.Globalization;
using System.Text;
using Text2Lora.IO;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Text2Lora.Hypernetworks.Checkpoints;

/// <summary>
/// Writes a hypernetwork in the T2L reference's checkpoint format, the three files its
/// <c>load_hypermod_checkpoint</c> reads: <c>hypermod.pt</c> (the state dict as <c>torch.save</c> writes it, through
/// TorchSharp.PyBridge's <c>save_py</c>: a zip with a pickled ordered dict of float32 tensors), <c>args.yaml</c> (the
/// training arguments <c>create_hypermod</c> builds the module from) and <c>adapter_config.json</c> (PEFT). The
/// folder appears complete or not at all: everything is written into a temporary sibling folder that is then renamed.
/// </summary>
internal static class ReferenceCheckpointWriter
{
    public const string AdapterConfigFileName = "adapter_config.json";

    public static void Save(T2LHypernetwork hypernetwork, string directory)
    {
        var architecture = hypernetwork.Module.Architecture;
        CheckExpressible(hypernetwork, architecture);
        var target = Path.GetFullPath(directory);
        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
        {
            throw new IOException($"The export folder '{target}' is not empty; choose a new or empty folder.");
        }

        if (File.Exists(target))
        {
            throw new IOException($"The export destination '{target}' is a file.");
        }

        var parent = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(parent);
        var temp = Path.Combine(parent, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        Directory.CreateDirectory(temp);
        try
        {
            using (var stream = new FileStream(Path.Combine(temp, ReferenceCheckpoint.WeightsFileName), FileMode.CreateNew, FileAccess.Write))
            {
                using (no_grad())
                {
                    hypernetwork.Module.save_py(stream, leaveOpen: true);
                }

                stream.Flush(flushToDisk: true);
            }

            File.WriteAllText(Path.Combine(temp, ReferenceCheckpoint.ArgsFileName), ArgsYaml(hypernetwork, architecture), new UTF8Encoding(false));
            File.WriteAllText(Path.Combine(temp, AdapterConfigFileName), hypernetwork.AdapterConfig.ToJson(), new UTF8Encoding(false));
            if (Directory.Exists(target))
            {
                Directory.Delete(target); // empty, checked above
            }

            Directory.Move(temp, target);
        }
        catch
        {
            try
            {
                Directory.Delete(temp, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a leftover hidden temporary folder never shadows the destination.
            }

            throw;
        }
    }

    /// <summary>
    /// The reference derives the heads' bias from the arguments (<c>create_hypermod</c>: <c>head_use_bias = (sft and
    /// mt_lora_path is None) or (recon and not pred_z_score)</c>) and loads with <c>strict=False</c>, so a bias that
    /// disagrees would be silently dropped or left at its initial value there. Refuse instead.
    /// </summary>
    private static void CheckExpressible(T2LHypernetwork hypernetwork, HyperModulatorArchitecture architecture)
    {
        var referenceBias = architecture.TrainingTask == HypernetworkTrainingTask.Sft || !architecture.PredictZScore;
        if (architecture.HeadBias != referenceBias)
        {
            throw new NotSupportedException(
                $"The reference format cannot express this hypernetwork: its heads {(architecture.HeadBias ? "have" : "have no")} bias, but the reference builds a "
                + $"{architecture.TrainingTask.ToString().ToLowerInvariant()} hypernetwork{(architecture.TrainingTask == HypernetworkTrainingTask.Recon ? $" with pred_z_score {architecture.PredictZScore.ToString().ToLowerInvariant()}" : " without mt_lora_path")} "
                + $"{(referenceBias ? "with" : "without")} (an SFT hypernetwork trained with a multi-task LoRA needs the original mt_lora_path).");
        }

        if (string.IsNullOrEmpty(hypernetwork.BaseModelId))
        {
            throw new NotSupportedException("The hypernetwork records no base model; the reference's args.yaml needs model_dir to load it.");
        }
    }

    /// <summary>
    /// The arguments <c>load_hypermod_checkpoint</c> and <c>create_hypermod</c> read (keys sorted, as <c>yaml.dump</c>
    /// writes them). <c>mt_lora_path</c> is null: the multi-task offset, if any, is <c>AB_offset</c> in the state dict.
    /// </summary>
    internal static string ArgsYaml(T2LHypernetwork hypernetwork, HyperModulatorArchitecture architecture)
    {
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["autoreg_gen"] = Bool(architecture.AutoregressiveGeneration),
            ["delta_w_scaling"] = architecture.DeltaWScaling.ToString("R", CultureInfo.InvariantCulture),
            ["emb_model"] = Quoted(hypernetwork.EncoderId),
            ["encoder_type"] = "linear",
            ["exp_setup"] = "hyper_lora",
            ["factorized"] = Bool(architecture.Factorized),
            ["head_in_size"] = architecture.HeadInSize.ToString(CultureInfo.InvariantCulture),
            ["head_use_bias"] = Bool(architecture.HeadBias),
            ["hypernet_latent_size"] = architecture.LatentSize.ToString(CultureInfo.InvariantCulture),
            ["learnable_AB_offset"] = "false",
            ["learnable_pos_emb"] = Bool(architecture.LearnablePositionEmbedding),
            ["model_dir"] = Quoted(hypernetwork.BaseModelId!),
            ["mt_lora_path"] = "null",
            ["pred_z_score"] = Bool(architecture.PredictZScore),
            ["shared_AB_head"] = Bool(architecture.SharedABHead),
            ["target_modules"] = string.Concat(hypernetwork.Targets.Modules.Select(m => $"\n- {Quoted(m.Name)}")),
            ["training_task"] = architecture.TrainingTask == HypernetworkTrainingTask.Sft ? "sft" : "recon",
            ["use_hypernet"] = "true",
            ["use_one_hot_task_emb"] = "false",
        };
        var text = new StringBuilder();
        foreach (var (key, value) in fields)
        {
            text.Append(key).Append(':').Append(value.StartsWith('\n') ? value : " " + value).Append('\n');
        }

        return text.ToString();

        static string Bool(bool value) => value ? "true" : "false";

        // A single-quoted YAML scalar: always a string, only the quote itself needs escaping.
        static string Quoted(string value) => $"'{value.Replace("'", "''", StringComparison.Ordinal)}'";
    }
}
