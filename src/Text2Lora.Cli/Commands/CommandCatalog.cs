using System.CommandLine;
using Microsoft.Extensions.Logging;
using Text2Lora.Evaluation.Models;
using Text2Lora.Hypernetworks.Checkpoints;
using Text2Lora.Training.Lora;
using Text2Lora.Training.Reconstruction;
using Text2Lora.Training.Sft;

namespace Text2Lora.Cli.Commands;

/// <summary>Every t2l subcommand; each lives in its own file and exposes <c>Create()</c>.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        var hypernetworks = new HypernetworkLoader();
        yield return InfoCommand.Create(hypernetworks);
        yield return GenerateCommand.Create(hypernetworks);
        yield return EmbedCommand.Create();
        yield return ExportCommand.Create();
        yield return LogitsCommand.Create();
        yield return RunCommand.Create();
        yield return DownloadCommand.Create();
        yield return ReproduceCommand.Create();
        yield return DemoCommand.Create(hypernetworks);
        yield return ServeCommand.Create();
        yield return EvalCommand.Create(new EvalModelFactory(hypernetworks, CliLogging.CreateFactory).CreateAsync);
        yield return TrainCommand.Create(
            TrainBaseKind.Create,
            () => TrainCommand.For(new TrainCommand.TrainerKind<SftTrainerOptions>(
                "sft",
                "Train a T2L hypernetwork end to end through the frozen base model; writes a hypernetwork folder.",
                options => options.Loop,
                (options, logging) => new SftTrainer(options, encoder: null, logging.CreateLogger<SftTrainer>()),
                options => options.BaseModel)),
            () => TrainCommand.For(new TrainCommand.TrainerKind<ReconstructionTrainerOptions>(
                "recon",
                "Train a T2L hypernetwork to reconstruct a library of oracle LoRA adapters; writes a hypernetwork folder.",
                options => options.Loop,
                (options, logging) => new ReconstructionTrainer(options, encoder: null, logging.CreateLogger<ReconstructionTrainer>()))),
            () => TrainCommand.For(new TrainCommand.TrainerKind<LoraTrainerOptions>(
                "lora",
                "Train a plain LoRA adapter on one task (oracle) or several (multi-task baseline); writes a PEFT folder.",
                options => options.Loop,
                (options, logging) => new LoraTrainer(options, logging.CreateLogger<LoraTrainer>()),
                options => options.BaseModel)));
    }
}
