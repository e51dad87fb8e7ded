using Microsoft.Extensions.Logging;
using Text2Lora.Abstractions;
using Text2Lora.Encoders;
using Text2Lora.Hypernetworks;
using Text2Lora.Tasks;
using Text2Lora.Training.Configuration;
using Text2Lora.Training.Data;
using Text2Lora.Training.Hypernetworks;
using Text2Lora.Training.Loop;
using Text2Lora.Training.Models;
using TorchSharp;

namespace Text2Lora.Training.Sft;

/// <summary>
/// Trains a T2L hypernetwork from scratch by SFT through a frozen base model (paper §3.3, the reference's
/// <c>train_custom_sft.py</c>). The artifact (<c>final/</c>, <c>best/</c>) is the hypernetwork in Text2Lora's own
/// format, loadable by <see cref="Text2Lora.Hypernetworks.Checkpoints.HypernetworkCheckpoint.Load"/>.
/// </summary>
public sealed class SftTrainer : HypernetworkTrainerBase<SftTrainerOptions>
{
    /// <summary>Creates the SFT trainer; the options and the encoder they name are checked here.</summary>
    /// <param name="options">The options.</param>
    /// <param name="encoder">The task encoder as it is (null: the one <see cref="SftTrainerOptions.Encoder"/> names, loaded and disposed by the trainer).</param>
    /// <param name="logger">Logger.</param>
    /// <exception cref="TrainerConfigException">An option is invalid; names the field.</exception>
    public SftTrainer(SftTrainerOptions options, ITaskEncoder? encoder = null, ILogger<SftTrainer>? logger = null)
        : base(options, nameof(SftTrainerOptions), encoder, logger)
    {
    }

    /// <inheritdoc />
    /// <exception cref="TaskDataFormatException">A task folder or file is missing or malformed (nothing is written then).</exception>
    protected override ITrainingObjective BuildObjective(ICollection<IDisposable> owned, CancellationToken cancellationToken) => CreateObjective(cancellationToken);

    /// <summary>
    /// Loads the base model, data and encoder, precomputes the description embeddings and builds the freshly
    /// initialised hypernetwork. Everything that can fail on bad input happens here, before the loop touches the
    /// output folder.
    /// </summary>
    internal SftObjective CreateObjective(CancellationToken cancellationToken)
    {
        var device = TrainingDevice;
        var baseModel = LoadedBaseModel.Load(Options.BaseModel, device);
        try
        {
            return CreateObjective(baseModel, TaskDataset.Load(Options.Data, baseModel.Formatter), ownsBaseModel: true, cancellationToken);
        }
        catch
        {
            baseModel.Dispose();
            throw;
        }
    }

    /// <summary>As <see cref="CreateObjective(CancellationToken)"/> with a given model and data (benchmarks use synthetic ones).</summary>
    internal SftObjective CreateObjective(LoadedBaseModel baseModel, TaskDataset data, bool ownsBaseModel, CancellationToken cancellationToken)
    {
        return ObjectiveResources.Build(owned =>
        {
            if (ownsBaseModel)
            {
                owned.Add(baseModel);
            }

            var targets = Options.Lora.Select(baseModel.Model.LoraTargets);
            var encoder = EncoderFor(
                new TaskEncoderLoadContext { BaseModel = baseModel.Model, BaseModelTokenizer = baseModel.Formatter.Tokenizer, Device = baseModel.Model.Device, DType = baseModel.Model.DType }, owned, cancellationToken);
            var device = baseModel.Model.Device;
            var embeddings = owned.Own(DescriptionEmbeddings.Compute(encoder, data.Train.Concat(data.Validation).Select(t => (t.Name, t.Descriptions)), Options.DescriptionsPerTask, cancellationToken, device));
            Logger.LogInformation("T2L SFT on {Tasks} task(s) ({Validation} for validation), {Size} hypernetwork, rank {Rank}, modules {Modules}.",
                data.Train.Count, data.Validation.Count, Options.Hypernetwork.Size, Options.Lora.Rank, string.Join(", ", Options.Lora.TargetModules));

            var architecture = Options.Hypernetwork.ToArchitecture(encoder.EmbeddingSize, HypernetworkTrainingTask.Sft, headBias: true);
            // The trunk's default init draws from the global generator: seed it so a run is reproducible.
            TorchSharp.torch.manual_seed(Options.Loop.Seed);
            var hypernetwork = owned.Own(new T2LHypernetwork(
                new HyperModulator(architecture, Options.Lora.Rank, targets.LayerCount, targets.Modules),
                Options.Lora.ToConfig(Options.BaseModel.RecordedId),
                targets,
                encoder.Id,
                Options.BaseModel.RecordedId)
            {
                DescriptionFormat = RecordedDescriptionFormat,
            });
            hypernetwork.Module.InitializeForSft();
            // Initialised on the CPU from the seeded generator (the same weights on every device), then moved once:
            // the trained weights and, created from them by the loop, the optimizer state live on the training device.
            if (device.type != DeviceType.CPU)
            {
                hypernetwork.Module.MoveTo(device);
            }

            return new SftObjective(baseModel, data, embeddings, hypernetwork, Options, owned);
        });
    }
}
