using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Text2Lora.Abstractions;
using Text2Lora.Encoders;
using Text2Lora.Hypernetworks;
using Text2Lora.Models.Llama;
using Text2Lora.Training.Configuration;
using Text2Lora.Tasks;
using Text2Lora.Training.Data;
using Text2Lora.Training.Encoders;
using Text2Lora.Training.Loop;

namespace Text2Lora.Training.Reconstruction;

/// <summary>
/// Trains a T2L hypernetwork to reproduce a library of oracle LoRA adapters from their tasks' descriptions (paper
/// §3.3, the reference's <c>train_hyper_recon.py</c>). With z-score targets the library's mean and std are stored in
/// the hypernetwork, so generation de-normalises. The artifact (<c>final/</c>) is the hypernetwork in Text2Lora's
/// own format.
/// </summary>
public sealed class ReconstructionTrainer : ITrainer
{
    private readonly ReconstructionTrainerOptions _options;
    private readonly ITaskEncoder? _encoder;
    private readonly TaskEncoderChoice _encoderChoice;
    private readonly ILogger _logger;

    /// <summary>Creates the trainer; the options are validated here.</summary>
    /// <param name="options">The options.</param>
    /// <param name="encoder">The task encoder as it is (null: the one <see cref="ReconstructionTrainerOptions.Encoder"/> names, loaded and disposed by the trainer).</param>
    /// <param name="logger">Logger.</param>
    /// <exception cref="TrainerConfigException">An option is invalid; names the field.</exception>
    public ReconstructionTrainer(ReconstructionTrainerOptions options, ITaskEncoder? encoder = null, ILogger<ReconstructionTrainer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        TrainerConfigFile.Validate(options, nameof(ReconstructionTrainerOptions));
        _encoderChoice = TrainingTaskEncoder.Choose(options.Encoder, nameof(ReconstructionTrainerOptions));
        _options = options;
        _encoder = encoder;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    /// <exception cref="TaskDataFormatException">A task folder or its descriptions are missing or malformed (nothing is written then).</exception>
    /// <exception cref="Text2Lora.Lora.AdapterFormatException">A library adapter is missing, malformed or inconsistent (nothing is written then).</exception>
    public async Task<TrainingResult> TrainAsync(IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        using var objective = CreateObjective(cancellationToken);
        return await new TrainingLoop(_options.Loop, _logger).RunAsync(objective, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads descriptions and adapters, computes targets and embeddings and builds the hypernetwork (with the
    /// library statistics stored in it). Everything that can fail on bad input happens here, before the loop touches
    /// the output folder.
    /// </summary>
    internal ReconstructionObjective CreateObjective(CancellationToken cancellationToken)
    {
        var owned = new List<IDisposable>();
        try
        {
            var descriptions = _options.Tasks.Select(task =>
            {
                var folder = Path.Combine(_options.TasksDirectory, task);
                if (!Directory.Exists(folder))
                {
                    throw new TaskDataFormatException(folder, "the task folder does not exist");
                }

                return (task, TaskFolderReader.ReadDescriptions(Path.Combine(folder, TaskFolderReader.MetadataFileName)));
            }).ToList();
            var modelShapes = LlamaFamilyConfig.Load(_options.BaseModelDirectory).LoraTargets();
            var library = Own(AdapterLibrary.Load(_options.AdaptersDirectory, _options.Tasks, modelShapes));
            var multiTask = _options.MultiTaskLoraDirectory is { } mtFolder ? Own(library.LoadMatching(mtFolder, modelShapes)) : null;
            var targets = Own(new ReconstructionTargets(library, multiTask, _options));
            var encoder = _encoder ?? Own(TrainingTaskEncoder.Load(
                _encoderChoice, new TaskEncoderLoadContext { BaseModelDirectory = _options.BaseModelDirectory }, _logger, cancellationToken));
            var embeddings = Own(DescriptionEmbeddings.Compute(encoder, descriptions, _options.DescriptionsPerTask, cancellationToken));
            _logger.LogInformation("T2L reconstruction of {Tasks} adapters (rank {Rank}, modules {Modules}), {Size} hypernetwork, {Target} targets.",
                _options.Tasks.Count, library.Config.R, string.Join(", ", library.Targets.Modules.Select(m => m.Name)), _options.Hypernetwork.Size,
                !_options.Factorized ? "ΔW" : _options.PredictZScore ? "z-scored factor" : "factor");

            // The reference gives the heads a bias only when the targets are not z-scores.
            var architecture = _options.Hypernetwork.ToArchitecture(encoder.EmbeddingSize, HypernetworkTrainingTask.Recon, headBias: !_options.PredictZScore,
                _options.PredictZScore, _options.Factorized, _options.DeltaWScaling);
            // The default init draws from the global generator: seed it so a run is reproducible.
            TorchSharp.torch.manual_seed(_options.Loop.Seed);
            var hypernetwork = Own(new T2LHypernetwork(
                new HyperModulator(architecture, library.Config.R, library.Targets.LayerCount, library.Targets.Modules),
                library.Config,
                library.Targets,
                encoder.Id,
                library.Config.BaseModelNameOrPath ?? _options.BaseModelDirectory)
            {
                DescriptionFormat = _encoder is null ? _encoderChoice.Format : TrainingTaskEncoder.FormatOf(_encoder),
            });
            if (_options.PredictZScore)
            {
                hypernetwork.Module.SetReconstructionStatistics(targets.Statistics);
            }

            if (multiTask is not null)
            {
                // Generation adds it back after de-normalising (the reference's AB_offset in convert_to_raw_scale).
                using var scope = TorchSharp.torch.NewDisposeScope();
                hypernetwork.Module.SetFactorOffset(multiTask.Targets.Modules.ToDictionary(m => m.Name, m => (multiTask[m.Name].A[0], multiTask[m.Name].B[0]), StringComparer.Ordinal));
            }

            return new ReconstructionObjective(_options.Tasks, embeddings, targets, hypernetwork, _options, owned);
        }
        catch
        {
            owned.ForEach(d => d.Dispose());
            throw;
        }

        T Own<T>(T disposable)
            where T : IDisposable
        {
            owned.Add(disposable);
            return disposable;
        }
    }
}
