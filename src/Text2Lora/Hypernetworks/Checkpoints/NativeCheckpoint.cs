using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Text2Lora.Encoders;
using Text2Lora.IO;
using Text2Lora.IO.Safetensors;
using Text2Lora.Lora;

namespace Text2Lora.Hypernetworks.Checkpoints;

/// <summary>
/// Text2Lora's own hypernetwork format (no pickle): <c>hypernetwork.safetensors</c> holds the state dict under the
/// reference key names; <c>hypernetwork.json</c> holds everything needed to rebuild the module and its adapters
/// (architecture, rank, layer count, target modules with paths and shapes, the PEFT config, encoder id and description
/// format, base-model id).
/// </summary>
internal static class NativeCheckpoint
{
    public const string WeightsFileName = "hypernetwork.safetensors";
    public const string ConfigFileName = "hypernetwork.json";
    private const string FormatName = "text2lora.hypernetwork";
    private const int FormatVersion = 1;

    private static readonly Dictionary<DescriptionFormat, string> FormatNames = new()
    {
        [Encoders.DescriptionFormat.CollapseWhitespace] = "collapse_whitespace",
        [Encoders.DescriptionFormat.AddFullStop] = "add_full_stop",
        [Encoders.DescriptionFormat.SfrInstruction] = "sfr_instruction",
    };

    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, IndentSize = 2 };
    private static readonly JsonSerializerOptions ReadOptions = StrictJson.Strict(Options);

    public static void Save(T2LHypernetwork hypernetwork, string directory)
    {
        Directory.CreateDirectory(directory);
        var module = hypernetwork.Module;
        var description = new Description
        {
            Format = FormatName,
            Version = FormatVersion,
            Architecture = module.Architecture,
            Rank = module.Rank,
            LayerCount = module.LayerCount,
            TargetModules = module.TargetModules.Select(m => new TargetEntry(m.Name, m.PathTemplate, m.InFeatures, m.OutFeatures)).ToArray(),
            AdapterConfig = JsonNode.Parse(hypernetwork.AdapterConfig.ToJson())!.AsObject(),
            EncoderId = hypernetwork.EncoderId,
            DescriptionFormat = RecordedFormat(hypernetwork) is { } format ? FormatNames[format] : null,
            BaseModelId = hypernetwork.BaseModelId,
        };

        // Weights first, then the description: a folder never describes weights it does not hold yet.
        SafetensorsWriter.Write(Path.Combine(directory, WeightsFileName), module.state_dict(), new Dictionary<string, string> { ["format"] = "pt" });
        AtomicFile.WriteAllText(Path.Combine(directory, ConfigFileName), JsonSerializer.Serialize(description, Options));
    }

    public static T2LHypernetwork Load(string directory)
    {
        var configPath = Path.Combine(directory, ConfigFileName);
        var weightsPath = Path.Combine(directory, WeightsFileName);
        if (!File.Exists(weightsPath))
        {
            throw new FileNotFoundException($"No '{WeightsFileName}' in hypernetwork folder '{directory}'.", weightsPath);
        }

        var description = ReadDescription(configPath);
        var adapterConfig = LoraConfig.Parse(description.AdapterConfig!.ToJsonString(), configPath);
        if (adapterConfig.R != description.Rank)
        {
            throw new HypernetworkCheckpointException(configPath, "adapter_config.r", $"the adapter config's rank {adapterConfig.R} differs from the hypernetwork's rank {description.Rank}.");
        }
        var targets = new LoraTargetDescription(
            description.LayerCount,
            description.TargetModules!.Select(t => new LoraTargetModule(t.Name, t.PathTemplate, t.InFeatures, t.OutFeatures)).ToArray());
        try
        {
            description.Architecture!.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new HypernetworkCheckpointException(configPath, ex.ParamName, ex.Message, ex);
        }

        InputLimits.EnsureFits(configPath, "rank", HyperModulator.EstimateBytes(description.Architecture, description.Rank, description.LayerCount, targets.Modules),
            "a hypernetwork of this architecture, rank, layer count and target modules");
        HyperModulator module;
        try
        {
            module = new HyperModulator(description.Architecture!, description.Rank, description.LayerCount, targets.Modules);
        }
        catch (ArgumentException ex)
        {
            throw new HypernetworkCheckpointException(configPath, ex.ParamName, ex.Message, ex);
        }

        try
        {
            using (var file = SafetensorsFile.Open(weightsPath))
            {
                var tensors = file.ReadAll();
                try
                {
                    module.LoadTensors(tensors, weightsPath);
                }
                finally
                {
                    foreach (var tensor in tensors.Values)
                    {
                        tensor.Dispose();
                    }
                }
            }

            return new T2LHypernetwork(module, adapterConfig, targets, description.EncoderId, description.BaseModelId)
            {
                DescriptionFormat = ParseFormat(description.DescriptionFormat, configPath),
            };
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }

    /// <summary>The format to record: the hypernetwork's, else the one the selection rule gives its encoder id (reference checkpoints).</summary>
    private static DescriptionFormat? RecordedFormat(T2LHypernetwork hypernetwork)
    {
        if (hypernetwork.DescriptionFormat is { } format)
        {
            return format;
        }

        try
        {
            return TaskEncoderSelection.Choose(hypernetwork.EncoderId).Format;
        }
        catch (UnsupportedTaskEncoderException)
        {
            return null;
        }
    }

    /// <summary>
    /// The recorded description format; files written before the field existed were all made with the
    /// whitespace-collapsing normalisation, which is what a missing field therefore means.
    /// </summary>
    private static DescriptionFormat ParseFormat(string? name, string configPath)
    {
        if (name is null)
        {
            return Encoders.DescriptionFormat.CollapseWhitespace;
        }

        foreach (var (format, known) in FormatNames)
        {
            if (known == name)
            {
                return format;
            }
        }

        throw new HypernetworkCheckpointException(configPath, "description_format",
            $"'{name}' is not a known description format ({string.Join(", ", FormatNames.Values)}).");
    }

    private static Description ReadDescription(string configPath)
    {
        if (!File.Exists(configPath))
        {
            throw new FileNotFoundException($"No '{ConfigFileName}' at '{configPath}'.", configPath);
        }

        Description? description;
        try
        {
            description = JsonSerializer.Deserialize<Description>(File.ReadAllText(configPath), ReadOptions);
        }
        catch (JsonException ex)
        {
            throw new HypernetworkCheckpointException(configPath, ex.Path?.TrimStart('$', '.'), $"invalid JSON: {ex.Message}", ex);
        }
        catch (ArgumentException ex)
        {
            // A key given twice inside the embedded adapter_config object (JsonObject reports it this way).
            throw new HypernetworkCheckpointException(configPath, "adapter_config", $"invalid JSON: {ex.Message}", ex);
        }

        if (description is null || description.Format != FormatName)
        {
            throw new HypernetworkCheckpointException(configPath, "format", $"not a Text2Lora hypernetwork description (expected format '{FormatName}').");
        }

        if (description.Version != FormatVersion)
        {
            throw new HypernetworkCheckpointException(configPath, "format_version", $"version {description.Version} is not supported (this build reads version {FormatVersion}).");
        }

        if (description.Architecture is null || description.AdapterConfig is null || description.TargetModules is not { Length: > 0 })
        {
            throw new HypernetworkCheckpointException(configPath, description.Architecture is null ? "architecture" : description.AdapterConfig is null ? "adapter_config" : "target_modules", "missing.");
        }

        if (description.Rank <= 0 || description.LayerCount <= 0)
        {
            throw new HypernetworkCheckpointException(configPath, description.Rank <= 0 ? "rank" : "layer_count", "must be a positive integer.");
        }

        for (var i = 0; i < description.TargetModules.Length; i++)
        {
            var entry = description.TargetModules[i];
            if (entry is null || string.IsNullOrEmpty(entry.Name) || string.IsNullOrEmpty(entry.PathTemplate))
            {
                throw new HypernetworkCheckpointException(configPath, $"target_modules[{i}]", "must be an object with a non-empty name and path_template.");
            }

            if (entry.InFeatures <= 0 || entry.OutFeatures <= 0)
            {
                throw new HypernetworkCheckpointException(configPath, $"target_modules[{i}]", $"in_features and out_features must be positive, got {entry.InFeatures} and {entry.OutFeatures}.");
            }

            try
            {
                if (!entry.PathTemplate.Contains("{0}", StringComparison.Ordinal))
                {
                    throw new FormatException("no '{0}' placeholder");
                }

                _ = string.Format(System.Globalization.CultureInfo.InvariantCulture, entry.PathTemplate, 0);
            }
            catch (FormatException ex)
            {
                throw new HypernetworkCheckpointException(configPath, $"target_modules[{i}].path_template", $"'{entry.PathTemplate}' is not a path template with one '{{0}}' layer placeholder.", ex);
            }
        }

        if (description.TargetModules.Select(t => t.Name).Distinct(StringComparer.Ordinal).Count() != description.TargetModules.Length
            || description.TargetModules.Select(t => t.PathTemplate).Distinct(StringComparer.Ordinal).Count() != description.TargetModules.Length)
        {
            throw new HypernetworkCheckpointException(configPath, "target_modules", "module names and path templates must be distinct.");
        }

        return description;
    }

    private sealed record TargetEntry(
        [property: JsonPropertyName("name")] string Name,
        [property: JsonPropertyName("path_template")] string PathTemplate,
        [property: JsonPropertyName("in_features")] int InFeatures,
        [property: JsonPropertyName("out_features")] int OutFeatures);

    private sealed class Description
    {
        [JsonPropertyName("format")]
        public string? Format { get; init; }

        [JsonPropertyName("format_version")]
        public int Version { get; init; }

        [JsonPropertyName("architecture")]
        public HyperModulatorArchitecture? Architecture { get; init; }

        [JsonPropertyName("rank")]
        public int Rank { get; init; }

        [JsonPropertyName("layer_count")]
        public int LayerCount { get; init; }

        [JsonPropertyName("target_modules")]
        public TargetEntry[]? TargetModules { get; init; }

        [JsonPropertyName("adapter_config")]
        public JsonObject? AdapterConfig { get; init; }

        [JsonPropertyName("encoder_id")]
        public string? EncoderId { get; init; }

        [JsonPropertyName("description_format")]
        public string? DescriptionFormat { get; init; }

        [JsonPropertyName("base_model_id")]
        public string? BaseModelId { get; init; }
    }
}
