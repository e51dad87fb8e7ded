using System.Text.Json;
using Text2Lora.IO.Safetensors;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Text2Lora.Training.Checkpoints;

/// <summary>
/// Crash-safe resumable checkpoints: <c>checkpoint/</c> in the output folder holds the trainable module's
/// weights (<c>weights.safetensors</c>), the optimizer state (<c>optimizer.bin</c>, TorchSharp's format) and
/// <c>trainer_state.json</c>. A new checkpoint is written into a temporary folder and swapped in by renames, so
/// a crash or kill at any moment leaves either the previous checkpoint or the new one complete and loadable.
/// </summary>
internal static class TrainingCheckpoint
{
    /// <summary>Folder name inside the output folder.</summary>
    public const string FolderName = "checkpoint";

    internal const string WeightsFile = "weights.safetensors";
    internal const string OptimizerFile = "optimizer.bin";
    internal const string StateFile = "trainer_state.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    private static readonly AsyncLocal<Action<string>?> FileWrittenHook = new();

    /// <summary>
    /// Test hook, scoped to the current async flow: called after each file is written into the temporary
    /// folder (throw from it to simulate a crash mid-write).
    /// </summary>
    internal static Action<string>? AfterFileWritten
    {
        get => FileWrittenHook.Value;
        set => FileWrittenHook.Value = value;
    }

    /// <summary>Writes a checkpoint of <paramref name="module"/>, <paramref name="optimizer"/> and <paramref name="state"/>.</summary>
    public static void Save(string outputDirectory, TrainerState state, nn.Module module, OptimizerHelper optimizer)
    {
        var target = Path.Combine(outputDirectory, FolderName);
        var temp = Path.Combine(outputDirectory, $".{FolderName}.{Guid.NewGuid():N}.tmp");
        Directory.CreateDirectory(temp);
        try
        {
            SafetensorsWriter.Write(Path.Combine(temp, WeightsFile), module.state_dict());
            AfterFileWritten?.Invoke(WeightsFile);
            using (var stream = File.Create(Path.Combine(temp, OptimizerFile)))
            using (var writer = new BinaryWriter(stream))
            {
                optimizer.save_state_dict(writer);
                writer.Flush();
                stream.Flush(flushToDisk: true);
            }

            AfterFileWritten?.Invoke(OptimizerFile);
            Text2Lora.IO.AtomicFile.WriteAllText(Path.Combine(temp, StateFile), JsonSerializer.Serialize(state, Json));
            AfterFileWritten?.Invoke(StateFile);
        }
        catch
        {
            TryDeleteDirectory(temp);
            throw;
        }

        // Swap: target → old, temp → target, delete old. Between the two renames only "old" exists;
        // Find() falls back to it, so no moment leaves no loadable checkpoint.
        string? old = null;
        if (Directory.Exists(target))
        {
            old = Path.Combine(outputDirectory, $".{FolderName}.{Guid.NewGuid():N}.old");
            Directory.Move(target, old);
        }

        Directory.Move(temp, target);
        if (old is not null)
        {
            TryDeleteDirectory(old);
        }

        RemoveStaleFolders(outputDirectory);
    }

    /// <summary>
    /// Removes <c>.checkpoint.*.tmp</c> and <c>.checkpoint.*.old</c> folders an interrupted earlier save left behind.
    /// Called only after a new checkpoint is complete in <c>checkpoint/</c>, so none of them is still the loadable one.
    /// </summary>
    internal static void RemoveStaleFolders(string outputDirectory)
    {
        if (!File.Exists(Path.Combine(outputDirectory, FolderName, StateFile)))
        {
            return;
        }

        foreach (var pattern in new[] { $".{FolderName}.*.tmp", $".{FolderName}.*.old" })
        {
            foreach (var stale in Directory.GetDirectories(outputDirectory, pattern))
            {
                TryDeleteDirectory(stale);
            }
        }
    }

    /// <summary>
    /// The loadable checkpoint folder of <paramref name="outputDirectory"/>: <c>checkpoint/</c>, or the previous one
    /// kept aside if a crash interrupted the swap; null when there is none.
    /// </summary>
    public static string? Find(string outputDirectory)
    {
        var target = Path.Combine(outputDirectory, FolderName);
        if (File.Exists(Path.Combine(target, StateFile)))
        {
            return target;
        }

        return Directory.Exists(outputDirectory)
            ? Directory.GetDirectories(outputDirectory, $".{FolderName}.*.old")
                .Where(dir => File.Exists(Path.Combine(dir, StateFile)))
                .OrderByDescending(Directory.GetLastWriteTimeUtc)
                .FirstOrDefault()
            : null;
    }

    /// <summary>Reads the run state of the checkpoint in <paramref name="checkpointDirectory"/>.</summary>
    /// <exception cref="TrainingCheckpointException">The state file is unreadable; names the file and how to recover.</exception>
    public static TrainerState ReadState(string checkpointDirectory)
    {
        var path = Path.Combine(checkpointDirectory, StateFile);
        try
        {
            return JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(path), StrictRead)
                   ?? throw new TrainingCheckpointException(path, null, "the file holds JSON null.");
        }
        catch (JsonException ex)
        {
            throw new TrainingCheckpointException(path, ex.Path?.TrimStart('$', '.'), $"not valid: {ex.Message}", ex);
        }
    }

    private static readonly JsonSerializerOptions StrictRead = new() { AllowDuplicateProperties = false };

    /// <summary>Loads the checkpoint's weights into <paramref name="module"/> and its optimizer state into <paramref name="optimizer"/>.</summary>
    public static void Restore(string checkpointDirectory, nn.Module module, OptimizerHelper optimizer)
    {
        using (var file = SafetensorsFile.Open(Path.Combine(checkpointDirectory, WeightsFile)))
        {
            var expected = module.state_dict();
            var missing = expected.Keys.Where(k => !file.Contains(k)).ToList();
            if (missing.Count > 0)
            {
                throw new TrainingCheckpointException(Path.Combine(checkpointDirectory, WeightsFile), missing[0], $"lacks {string.Join(", ", missing.Take(5))}; it was written for a different model.");
            }

            using var noGrad = no_grad();
            foreach (var (name, tensor) in expected)
            {
                using var saved = file.ReadTensor(name, tensor.device, tensor.dtype);
                if (!saved.shape.SequenceEqual(tensor.shape))
                {
                    throw new TrainingCheckpointException(Path.Combine(checkpointDirectory, WeightsFile), name, $"'{name}' has shape [{string.Join(", ", saved.shape)}], the model expects [{string.Join(", ", tensor.shape)}].");
                }

                tensor.copy_(saved);
            }
        }

        var optimizerPath = Path.Combine(checkpointDirectory, OptimizerFile);
        try
        {
            using var stream = File.OpenRead(optimizerPath);
            using var reader = new BinaryReader(stream);
            optimizer.load_state_dict(reader);
        }
        catch (Exception ex) when (ex is EndOfStreamException or InvalidDataException or ArgumentException or InvalidOperationException or FormatException or OverflowException
                                       or System.Runtime.InteropServices.ExternalException)
        {
            // TorchSharp reads its optimizer format without validation; any of these means the bytes do not fit.
            throw new TrainingCheckpointException(optimizerPath, null, $"the optimizer state cannot be read ({ex.GetType().Name}: {ex.Message}).", ex);
        }
    }

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
