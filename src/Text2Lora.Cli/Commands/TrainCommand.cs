using System.CommandLine;
using Microsoft.Extensions.Logging;
using Text2Lora.Abstractions;
using Text2Lora.Training.Configuration;
using Text2Lora.Training.Loop;
using Text2Lora.Training.Models;

namespace Text2Lora.Cli.Commands;

/// <summary>
/// <c>t2l train sft|recon|lora|base --config FILE.json [--output DIR] [--max-steps N] [--resume | --overwrite] [--device D] [--dtype T]</c>.
/// The config file is the trainer's serialized options object; it is read strictly and validated, and the output folder
/// checked, before any work starts. <c>--device</c> overrides <c>loop.device</c>; <c>--dtype</c> overrides the frozen base
/// model's <c>baseModel.dtype</c> (trainers without a frozen base model refuse it).
/// </summary>
internal static class TrainCommand
{
    /// <summary>A trainer kind the command offers.</summary>
    /// <typeparam name="TOptions">The trainer's options (the config file's schema).</typeparam>
    /// <param name="BaseModel">The frozen base model's options, whose <c>dtype</c> <c>--dtype</c> overrides; null: the trainer has none.</param>
    internal sealed record TrainerKind<TOptions>(
        string Name,
        string Description,
        Func<TOptions, TrainingLoopOptions> Loop,
        Func<TOptions, ILoggerFactory, ITrainer> Create,
        Func<TOptions, BaseModelOptions?>? BaseModel = null)
        where TOptions : class;

    public static Command Create(params Func<Command>[] kinds)
    {
        var command = new Command("train", "Train a T2L hypernetwork (sft, recon), a plain LoRA (lora) or the tiny base model (base).");
        foreach (var kind in kinds)
        {
            command.Subcommands.Add(kind());
        }

        return command;
    }

    public static Command For<TOptions>(TrainerKind<TOptions> kind)
        where TOptions : class
    {
        var config = new Option<FileInfo>("--config") { Description = "Trainer options as JSON (the serialized options object).", Required = true };
        var output = new Option<DirectoryInfo?>("--output") { Description = "Output folder (overrides loop.outputDirectory)." };
        var maxSteps = new Option<int?>("--max-steps") { Description = "Step budget (overrides loop.maxSteps); with --resume, a larger budget continues the run." };
        var resume = new Option<bool>("--resume") { Description = "Continue from the output folder's last checkpoint." };
        var overwrite = new Option<bool>("--overwrite")
        {
            Description = "Start afresh in an output folder that holds a previous run: the old folder is moved aside to <folder>.previous-<time>, not deleted.",
        };
        var command = new Command(kind.Name, kind.Description) { config, output, maxSteps, resume, overwrite };
        var compute = ComputeOptions.AddTo(command);
        command.SetAction((parse, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            var (device, dtype) = compute.ReadOverrides(parse);
            if (dtype is not null && kind.BaseModel is null)
            {
                throw new CliUsageException($"train {kind.Name} has no frozen base model, so --dtype does not apply (its weights train in float32).");
            }

            var options = TrainerConfigFile.Load<TOptions>(parse.GetValue(config)!.FullName, o =>
            {
                // A config with "loop": null is reported by validation, right after the overrides.
                if (kind.Loop(o) is not { } loop)
                {
                    return;
                }

                if (parse.GetValue(output) is { } dir)
                {
                    loop.OutputDirectory = dir.FullName;
                }

                if (parse.GetValue(maxSteps) is { } steps)
                {
                    loop.MaxSteps = steps;
                }

                loop.Resume |= parse.GetValue(resume);
                if (device is not null)
                {
                    loop.Device = device;
                }

                if (dtype is not null && kind.BaseModel!(o) is { } baseModel)
                {
                    baseModel.DType = dtype;
                }
            });

            var loop = kind.Loop(options);
            if (loop.Resume && parse.GetValue(overwrite))
            {
                throw new CliUsageException("--resume and --overwrite exclude each other: continue the run, or move it aside and start again.");
            }

            // Before anything is loaded: never overwrite a previous run by accident, and fail now on an unwritable folder.
            if (TrainingOutputFolder.Prepare(loop.OutputDirectory, loop.Resume, parse.GetValue(overwrite)) is { } movedTo)
            {
                Console.WriteLine($"previous run moved to {movedTo}");
            }

            using var loggerFactory = CliLogging.CreateFactory();
            var trainer = kind.Create(options, loggerFactory);
            var result = await TrainingProgressView.RunAsync(
                loop.MaxSteps,
                $"{kind.Name} → {loop.OutputDirectory}",
                progress => trainer.TrainAsync(progress, cancellationToken)).ConfigureAwait(false);

            Console.WriteLine($"steps: {result.Steps}");
            Console.WriteLine($"train loss: {result.FirstTrainLoss:F4} → {result.FinalTrainLoss:F4}");
            if (result.BestValidationLoss is { } best)
            {
                Console.WriteLine($"best validation loss: {best:F4}");
            }

            Console.WriteLine($"artifact: {result.ArtifactDirectory}");
        }));
        return command;
    }
}
