using Microsoft.Extensions.Logging;
using Text2Lora.Abstractions;
using Text2Lora.Encoders;
using Text2Lora.Hypernetworks;
using Text2Lora.IO.Hub;
using Text2Lora.Models.Llama;
using Text2Lora.Tasks;
using Text2Lora.Training.Configuration;
using Text2Lora.Training.Data;
using Text2Lora.Training.Hypernetworks;
using Text2Lora.Training.Loop;
using TorchSharp;

namespace Text2Lora.Training.Reconstruction;

/// <summary>
/// Trains a T2L hypernetwork to reproduce a library of oracle LoRA adapters from their tasks' descriptions (paper
/// §3.3, the reference's <c>train_hyper_recon.py</c>). With z-score targets the library's mean and std are stored in
/// the hypernetwork, so generation de-normalises. The artifact (<c>final/</c>) is the hypernetwork in Text2Lora's
/// own format.
/// </summary>
public sealed class ReconstructionTrainer : HypernetworkTrainerBase<ReconstructionTrainerOptions>
{
    /// <summary>Creates the reconstruction trainer; the options and the encoder they name are checked here.</summary>
    /// <param name="options">The options.</param>
    /// <param name="encoder">The task encoder as it is (null: the one <see cref="ReconstructionTrainerOptions.Encoder"/> names, loaded and disposed by the trainer).</param>
    /// <param name="logger">Logger.</param>
    /// <exception cref="TrainerConfigException">An option is invalid; names the field.</exception>
    public ReconstructionTrainer(ReconstructionTrainerOptions options, ITaskEncoder? encoder = null, ILogger<ReconstructionTrainer>? logger = null)
        : base(options, nameof(ReconstructionTrainerOptions), encoder, logger)
    {
    }

    /// <inheritdoc />
    /// <exception cref="TaskDataFormatException">A task folder or its descriptions are missing or malformed (nothing is written then).</exception>
    /// <exception cref="Text2Lora.Lora.AdapterFormatException">A library adapter is missing, malformed or inconsistent (nothing is written then).</exception>
    protected override ITrainingObjective BuildObjective(ICollection<IDisposable> owned, CancellationToken cancellationToken) => CreateObjective(cancellationToken);

    /// <summary>
    /// Reads descriptions and adapters, computes targets and embeddings and builds the hypernetwork (with the
    /// library statistics stored in it). Everything that can fail on bad input happens here, before the loop touches
    /// the output folder.
    /// </summary>
    internal ReconstructionObjective CreateObjective(CancellationToken cancellationToken)
    {
        return ObjectiveResources.Build(owned =>
        {
            var descriptions = Options.Tasks.Select(task =>
            {
                var folder = Path.Combine(Options.TasksDirectory, task);
                if (!Directory.Exists(folder))
                {
                    throw new TaskDataFormatException(folder, "the task folder does not exist");
                }

                return (task, TaskFolderReader.ReadDescriptions(Path.Combine(folder, TaskFolderReader.MetadataFileName)));
            }).ToList();
            var device = TrainingDevice;
            var modelShapes = LlamaFamilyConfig.Load(ConfigPaths.LocalModelFolder(Options.BaseModelDirectory, ModelFileKind.ModelConfig, cancellationToken)).LoraTargets();
            var library = owned.Own(AdapterLibrary.Load(Options.AdaptersDirectory, Options.Tasks, modelShapes));
            var multiTask = Options.MultiTaskLoraDirectory is { } mtFolder ? owned.Own(library.LoadMatching(mtFolder, modelShapes)) : null;
            var targets = owned.Own(new ReconstructionTargets(library, multiTask, Options, device));
            var encoder = EncoderFor(new TaskEncoderLoadContext { BaseModelDirectory = Options.BaseModelDirectory, Device = device }, owned, cancellationToken);
            var embeddings = owned.Own(DescriptionEmbeddings.Compute(encoder, descriptions, Options.DescriptionsPerTask, cancellationToken, device));
            Logger.LogInformation("T2L reconstruction of {Tasks} adapters (rank {Rank}, modules {Modules}), {Size} hypernetwork, {Target} targets.",
                Options.Tasks.Count, library.Config.R, string.Join(", ", library.Targets.Modules.Select(m => m.Name)), Options.Hypernetwork.Size,
                !Options.Factorized ? "ΔW" : Options.PredictZScore ? "z-scored factor" : "factor");

            // The reference gives the heads a bias only when the targets are not z-scores.
            var architecture = Options.Hypernetwork.ToArchitecture(encoder.EmbeddingSize, HypernetworkTrainingTask.Recon, headBias: !Options.PredictZScore,
                Options.PredictZScore, Options.Factorized, Options.DeltaWScaling);
            // The default init draws from the global generator: seed it so a run is reproducible.
            TorchSharp.torch.manual_seed(Options.Loop.Seed);
            var hypernetwork = owned.Own(new T2LHypernetwork(
                new HyperModulator(architecture, library.Config.R, library.Targets.LayerCount, library.Targets.Modules),
                library.Config,
                library.Targets,
                encoder.Id,
                library.Config.BaseModelNameOrPath ?? Options.BaseModelDirectory)
            {
                DescriptionFormat = RecordedDescriptionFormat,
            });
            if (Options.PredictZScore)
            {
                hypernetwork.Module.SetReconstructionStatistics(targets.Statistics);
            }

            if (multiTask is not null)
            {
                // Generation adds it back after de-normalising (the reference's AB_offset in convert_to_raw_scale).
                using var scope = TorchSharp.torch.NewDisposeScope();
                hypernetwork.Module.SetFactorOffset(multiTask.Targets.Modules.ToDictionary(m => m.Name, m => (multiTask[m.Name].A[0], multiTask[m.Name].B[0]), StringComparer.Ordinal));
            }

            if (device.type != DeviceType.CPU)
            {
                // Initialised on the CPU from the seeded global generator, then moved once with its statistics buffers.
                hypernetwork.Module.MoveTo(device);
            }

            return new ReconstructionObjective(Options.Tasks, embeddings, targets, hypernetwork, Options, owned);
        });
    }
}
