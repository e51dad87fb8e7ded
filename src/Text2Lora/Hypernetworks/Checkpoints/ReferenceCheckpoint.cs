using Text2Lora.IO;
using Text2Lora.IO.Hub;
using Text2Lora.IO.Pickle;
using Text2Lora.Lora;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Text2Lora.Hypernetworks.Checkpoints;

/// <summary>
/// Loads a reference T2L checkpoint: <c>hypermod.pt</c> (a <c>torch.save</c>d state dict) with the
/// <c>args.yaml</c> and <c>adapter_config.json</c> next to it or in an ancestor folder (the reference keeps them
/// above <c>checkpoints/it_N/</c>), plus the base model's <c>config.json</c> for the layer shapes.
/// </summary>
internal static class ReferenceCheckpoint
{
    public const string WeightsFileName = "hypermod.pt";
    public const string ArgsFileName = "args.yaml";

    public static T2LHypernetwork Load(string path, string? baseModelDirectory, HubModelResolver? hub = null)
    {
        var weightsPath = Directory.Exists(path) ? Path.Combine(path, WeightsFileName) : path;
        if (!File.Exists(weightsPath))
        {
            throw new FileNotFoundException($"No '{WeightsFileName}' at '{path}'.", weightsPath);
        }

        var runDirectory = FindRunDirectory(weightsPath);
        var argsPath = Path.Combine(runDirectory, ArgsFileName);
        var configPath = Path.Combine(runDirectory, "adapter_config.json");
        var args = ReferenceTrainingArgs.Load(argsPath);
        var adapterConfig = LoraConfig.Load(configPath);
        if (args.EncoderType != "linear")
        {
            throw new HypernetworkCheckpointException(argsPath, "encoder_type", $"task encoder '{args.EncoderType}' is not supported; only 'linear' (the released checkpoints' encoder) is.");
        }

        if (adapterConfig.TargetModules?.Names is not { Count: > 0 } moduleOrder)
        {
            throw new HypernetworkCheckpointException(configPath, "target_modules", "must list module names (their order is the hypernetwork's layer-type index).");
        }

        // Security first: the pickle is checked opcode by opcode before PyBridge's unpickler sees it.
        var entries = TorchZipCheckpoint.Inspect(weightsPath);
        var shapes = entries.ToDictionary(e => e.Name, e => e.Shape, StringComparer.Ordinal);
        var nonFloat = entries.FirstOrDefault(e => e.StorageType != "FloatStorage");
        if (nonFloat is not null)
        {
            throw new HypernetworkCheckpointException(weightsPath, nonFloat.Name, $"{nonFloat.StorageType} tensors are not supported; the hypernetwork is float32.");
        }

        var modelConfigPath = ResolveBaseModelConfig(args, argsPath, runDirectory, baseModelDirectory, hub);
        var shapesOfModel = Models.Llama.LlamaFamilyConfig.Load(modelConfigPath).LoraTargets();
        var unknown = moduleOrder.FirstOrDefault(name => shapesOfModel.Modules.All(m => m.Name != name));
        if (unknown is not null)
        {
            throw new HypernetworkCheckpointException(configPath, "target_modules",
                $"the base model has no LoRA-adaptable module '{unknown}'; it has {string.Join(", ", shapesOfModel.Modules.Select(m => m.Name))}.");
        }

        if (moduleOrder.Distinct(StringComparer.Ordinal).Count() != moduleOrder.Count)
        {
            throw new HypernetworkCheckpointException(configPath, "target_modules", "module names must be distinct.");
        }

        var targets = new LoraTargetDescription(shapesOfModel.LayerCount, moduleOrder.Select(shapesOfModel.Get).ToArray());

        const string EncoderWeight = "task_encoder.mlp.0.weight";
        if (!shapes.TryGetValue(EncoderWeight, out var encoderShape) || encoderShape.Length != 2)
        {
            throw new HypernetworkCheckpointException(weightsPath, EncoderWeight, "missing or not a matrix; cannot tell the task-embedding size.");
        }

        // Head bias: decided by the state dict, not by args.yaml's head_use_bias (which the reference ignores).
        var biased = moduleOrder.Select(m => shapes.ContainsKey($"heads.{m}.bias")).Distinct().ToList();
        if (biased.Count != 1)
        {
            throw new HypernetworkCheckpointException(weightsPath, "heads", "some heads have a bias and others do not.");
        }

        var architecture = new HyperModulatorArchitecture
        {
            TaskEmbeddingSize = (int)encoderShape[1],
            LatentSize = args.LatentSize,
            HeadInSize = args.HeadInSize,
            SharedABHead = args.SharedABHead,
            AutoregressiveGeneration = args.AutoregressiveGeneration,
            LearnablePositionEmbedding = args.LearnablePositionEmbedding,
            HeadBias = biased[0],
            TrainingTask = args.TrainingTask,
            PredictZScore = args.PredictZScore,
            Factorized = args.Factorized,
            DeltaWScaling = args.DeltaWScaling,
        };
        try
        {
            architecture.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new HypernetworkCheckpointException(argsPath, ex.ParamName, ex.Message, ex);
        }

        InputLimits.EnsureFits(configPath, "r", HyperModulator.EstimateBytes(architecture, adapterConfig.R, targets.LayerCount, targets.Modules),
            "a hypernetwork of this architecture, rank and base model");
        var module = new HyperModulator(architecture, adapterConfig.R, targets.LayerCount, targets.Modules);
        try
        {
            module.CheckKeys(shapes, weightsPath);
            LoadWeights(module, weightsPath);
            return new T2LHypernetwork(module, adapterConfig, targets, args.EmbeddingModel, args.ModelDirectory ?? adapterConfig.BaseModelNameOrPath);
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }

    private static void LoadWeights(HyperModulator module, string weightsPath)
    {
        var loaded = new Dictionary<string, bool>(StringComparer.Ordinal);
        using (var scope = NewDisposeScope())
        using (no_grad())
        using (var stream = File.OpenRead(weightsPath))
        {
            // The unpickled tensors are created in this scope and freed with it; the parameters keep copies.
            try
            {
                module.load_py(stream, strict: false, loadedParameters: loaded);
            }
            catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or NotSupportedException or System.Runtime.InteropServices.ExternalException)
            {
                // TorchZipCheckpoint.Inspect has checked the archive, storages and views; this is a last line for damage it cannot see (e.g. a corrupt CRC).
                throw new HypernetworkCheckpointException(weightsPath, null, $"the weights could not be read: {ex.Message}", ex);
            }
        }

        module.RestoreTrainability();

        var notLoaded = module.state_dict().Keys.FirstOrDefault(key => !loaded.GetValueOrDefault(key));
        if (notLoaded is not null)
        {
            throw new HypernetworkCheckpointException(weightsPath, notLoaded, "this parameter was not matched while loading.");
        }
    }

    /// <summary>The folder with <c>args.yaml</c>: the checkpoint's own, or the nearest ancestor that has one.</summary>
    private static string FindRunDirectory(string weightsPath)
    {
        for (var directory = Path.GetDirectoryName(Path.GetFullPath(weightsPath)); directory is not null; directory = Path.GetDirectoryName(directory))
        {
            if (File.Exists(Path.Combine(directory, ArgsFileName)))
            {
                return directory;
            }
        }

        throw new FileNotFoundException($"No '{ArgsFileName}' next to '{weightsPath}' or in any folder above it.", ArgsFileName);
    }

    /// <summary>
    /// The base model's <c>config.json</c>: in <paramref name="overrideDirectory"/> when given; otherwise
    /// <c>args.yaml: model_dir</c> as an existing path, or relative to the run folder or one of its ancestors, or else
    /// as a hub id when <paramref name="hub"/> is given (only config.json is fetched into the Hugging Face cache).
    /// </summary>
    private static string ResolveBaseModelConfig(ReferenceTrainingArgs args, string argsPath, string runDirectory, string? overrideDirectory, HubModelResolver? hub)
    {
        if (overrideDirectory is not null)
        {
            var configPath = Path.Combine(overrideDirectory, "config.json");
            return File.Exists(configPath)
                ? configPath
                : throw new FileNotFoundException($"The base model folder '{overrideDirectory}' has no config.json.", configPath);
        }

        var modelDirectory = args.ModelDirectory
            ?? throw new HypernetworkCheckpointException(argsPath, "model_dir", "no base model is named; pass the base model folder explicitly.");
        var candidates = new List<string> { modelDirectory };
        if (!Path.IsPathRooted(modelDirectory))
        {
            for (var directory = runDirectory; directory is not null; directory = Path.GetDirectoryName(directory))
            {
                candidates.Add(Path.Combine(directory, modelDirectory));
            }
        }

        var local = candidates.Select(c => Path.Combine(c, "config.json")).FirstOrDefault(File.Exists);
        if (local is null && hub is not null && HubReference.TryParse(modelDirectory, out var reference))
        {
            // The reference's args.yaml names hub ids (mistralai/Mistral-7B-Instruct-v0.2): fetch only config.json.
            try
            {
                return Path.Combine(hub.ResolveAsync(reference, ModelFileKind.ModelConfig).GetAwaiter().GetResult(), "config.json");
            }
            catch (Exception ex) when (ex is HubException or HttpRequestException)
            {
                throw new HypernetworkCheckpointException(argsPath, "model_dir",
                    $"the base model '{modelDirectory}' is not a local folder and its config.json could not be fetched from the hub ({ex.Message}); pass the base model folder explicitly (only its config.json is read).", ex);
            }
        }

        return local
            ?? throw new HypernetworkCheckpointException(argsPath, "model_dir",
                $"the base model '{modelDirectory}' was not found as a folder with config.json (tried it as given and relative to '{runDirectory}' and its parents); pass the base model folder explicitly (only its config.json is read).");
    }
}
