using System.Text.RegularExpressions;
using Text2Lora.IO.Safetensors;
using Text2Lora.Lora;
using static TorchSharp.torch;

namespace Text2Lora.IO.Peft;

/// <summary>
/// Reads and writes PEFT adapter folders exactly as HF PEFT's <c>save_pretrained</c> does:
/// <c>adapter_config.json</c> plus <c>adapter_model.safetensors</c> whose keys look like
/// <c>base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight</c> (no adapter name).
/// </summary>
public static partial class PeftAdapterFolder
{
    /// <summary>Config file name.</summary>
    public const string ConfigFileName = "adapter_config.json";

    /// <summary>Weights file name.</summary>
    public const string WeightsFileName = "adapter_model.safetensors";

    /// <summary>Task description file the T2L reference writes next to a generated adapter.</summary>
    public const string TaskDescriptionFileName = "task_desc.txt";

    private const string KeyPrefix = "base_model.model.";

    [GeneratedRegex(@"^base_model\.model\.(?<module>.+)\.lora_(?<factor>[AB])(?:\.(?<adapter>[^.]+))?\.weight$", RegexOptions.CultureInvariant)]
    private static partial Regex LoraKey();

    /// <summary>Loads the adapter in <paramref name="directory"/> onto <paramref name="device"/> (CPU by default).</summary>
    /// <exception cref="FileNotFoundException">A required file is missing.</exception>
    /// <exception cref="AdapterFormatException">Bad config or tensors; names the file and key.</exception>
    /// <exception cref="UnsupportedAdapterException">The adapter uses an unsupported PEFT feature.</exception>
    public static LoraAdapter Load(string directory, Device? device = null)
    {
        var configPath = Path.Combine(directory, ConfigFileName);
        var weightsPath = Path.Combine(directory, WeightsFileName);
        if (!File.Exists(configPath))
        {
            throw new FileNotFoundException($"No '{ConfigFileName}' in adapter folder '{directory}'.", configPath);
        }

        if (!File.Exists(weightsPath))
        {
            var legacy = Path.Combine(directory, "adapter_model.bin");
            throw new FileNotFoundException(
                File.Exists(legacy)
                    ? $"Adapter folder '{directory}' holds only the pickle 'adapter_model.bin'; re-save it with safe_serialization=True."
                    : $"No '{WeightsFileName}' in adapter folder '{directory}'.",
                weightsPath);
        }

        var config = LoraConfig.Load(configPath);
        var descriptionPath = Path.Combine(directory, TaskDescriptionFileName);
        var description = File.Exists(descriptionPath) ? File.ReadAllText(descriptionPath) : null;

        using var file = SafetensorsFile.Open(weightsPath);
        var factors = new Dictionary<string, (string? A, string? B)>(StringComparer.Ordinal);
        foreach (var key in file.Keys)
        {
            var match = LoraKey().Match(key);
            if (!match.Success)
            {
                var problem = key.Contains("lora_magnitude_vector", StringComparison.Ordinal)
                    ? "DoRA magnitude vectors are not supported."
                    : key.Contains("lora_embedding_", StringComparison.Ordinal)
                        ? "LoRA on embedding layers is not supported."
                        : "not a LoRA factor key of the form 'base_model.model.<module>.lora_A.weight'.";
                throw new AdapterFormatException(weightsPath, key, problem);
            }

            var module = match.Groups["module"].Value;
            var entry = factors.GetValueOrDefault(module);
            entry = match.Groups["factor"].Value == "A" ? entry with { A = key } : entry with { B = key };
            factors[module] = entry;
        }

        var modules = new List<KeyValuePair<string, LoraWeights>>();
        try
        {
            foreach (var (module, (aKey, bKey)) in factors.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                if (aKey is null || bKey is null)
                {
                    throw new AdapterFormatException(weightsPath, aKey ?? bKey, $"module '{module}' has only lora_{(aKey is null ? "B" : "A")}; both factors are required.");
                }

                modules.Add(KeyValuePair.Create(module, ReadPair(file, config, module, aKey, bKey, device)));
            }
        }
        catch
        {
            foreach (var (_, weights) in modules)
            {
                weights.Dispose();
            }

            throw;
        }

        return new LoraAdapter(config, modules, description);
    }

    private static LoraWeights ReadPair(SafetensorsFile file, LoraConfig config, string module, string aKey, string bKey, Device? device)
    {
        var aInfo = file.GetInfo(aKey);
        var bInfo = file.GetInfo(bKey);
        if (aInfo.Shape.Length != 2 || bInfo.Shape.Length != 2)
        {
            throw new AdapterFormatException(file.FilePath, aInfo.Shape.Length != 2 ? aKey : bKey, "LoRA factors must be 2-D.");
        }

        var rank = config.RankFor(module);
        if (aInfo.Shape[0] != rank || bInfo.Shape[1] != rank)
        {
            throw new AdapterFormatException(file.FilePath, aInfo.Shape[0] != rank ? aKey : bKey,
                $"expected rank {rank} from '{ConfigFileName}', got A [{string.Join(", ", aInfo.Shape)}] and B [{string.Join(", ", bInfo.Shape)}].");
        }

        if (aInfo.ScalarType != bInfo.ScalarType)
        {
            throw new AdapterFormatException(file.FilePath, bKey, $"lora_A is {aInfo.DType} but lora_B is {bInfo.DType}.");
        }

        var a = file.ReadTensor(aKey, device);
        var b = file.ReadTensor(bKey, device);
        return new LoraWeights(a, b, config.ScalingFor(module));
    }

    /// <summary>
    /// Writes <paramref name="adapter"/> to <paramref name="directory"/> (created if needed). Each file is written
    /// atomically, so an existing adapter there is replaced only by complete files.
    /// </summary>
    public static void Save(LoraAdapter adapter, string directory)
    {
        ArgumentNullException.ThrowIfNull(adapter);
        Directory.CreateDirectory(directory);
        var tensors = new List<KeyValuePair<string, Tensor>>();
        foreach (var (module, weights) in adapter.Modules)
        {
            tensors.Add(KeyValuePair.Create($"{KeyPrefix}{module}.lora_A.weight", weights.A));
            tensors.Add(KeyValuePair.Create($"{KeyPrefix}{module}.lora_B.weight", weights.B));
        }

        SafetensorsWriter.Write(Path.Combine(directory, WeightsFileName), tensors, new Dictionary<string, string> { ["format"] = "pt" });
        AtomicFile.WriteAllText(Path.Combine(directory, ConfigFileName), adapter.Config.ToJson());
        if (adapter.TaskDescription is { } description)
        {
            AtomicFile.WriteAllText(Path.Combine(directory, TaskDescriptionFileName), description);
        }
    }
}
