using System.CommandLine;
using Text2Lora.Reproduction;
using Text2Lora.Runtime;
using Text2Lora.Training.Configuration;

namespace Text2Lora.Cli.Commands;

/// <summary>
/// <c>t2l reproduce --config FILE.json [--output DIR] [--resume] [--no-publish]</c>: the embedded small-scale T2L
/// reproduction in one command (<see cref="ReproductionPipeline"/>): trains the tiny base model, the oracle and
/// multi-task LoRAs and both T2L hypernetworks, scores every row on the task suite, writes the results table and
/// publishes the artifacts. Each trainer shows a progress bar.
/// </summary>
internal static class ReproduceCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo>("--config") { Description = "Pipeline config (e.g. configs/reproduce/pipeline.json).", Required = true };
        var output = new Option<DirectoryInfo?>("--output") { Description = "Output folder (overrides outputDirectory)." };
        var resume = new Option<bool>("--resume") { Description = "Skip finished stages of the output folder and continue an interrupted one." };
        var noPublish = new Option<bool>("--no-publish") { Description = "Write results only into the output folder: leave resultsFile and the published models untouched." };
        var command = new Command("reproduce", "Reproduce T2L at small scale: train the tiny base, LoRAs and hypernetworks, evaluate, write the results table. " +
            "Needs a clone of the Text2Lora repository (its configs/reproduce/pipeline.json and data/task-suite, not shipped with the tool): run it from the clone's root; about 30 minutes on 2 CPU cores.")
        {
            config, output, resume, noPublish,
        };
        var compute = ComputeOptions.AddTo(command);
        command.SetAction((parse, cancellationToken) => CliErrors.RunAsync(async () =>
        {
            var (device, dtype) = compute.ReadOverrides(parse);
            var options = TrainerConfigFile.Load<ReproductionOptions>(parse.GetValue(config)!.FullName, o =>
            {
                o.Device = device ?? o.Device;
                o.DType = dtype ?? o.DType;
                if (parse.GetValue(output) is { } dir)
                {
                    o.OutputDirectory = dir.FullName;
                }

                if (parse.GetValue(noPublish))
                {
                    o.ResultsFile = "";
                    o.PublishDirectory = "";
                }
            });
            TorchRuntime.EnsureAvailable(Runtime.ComputeDevice.Parse(options.Device.Length > 0 ? options.Device : Runtime.ComputeDevice.Cpu));
            using var loggerFactory = CliLogging.CreateFactory();
            var pipeline = new ReproductionPipeline(options, loggerFactory, TrainingProgressView.RunAsync);
            var outcome = await pipeline.RunAsync(parse.GetValue(resume), cancellationToken).ConfigureAwait(false);
            Console.Write(outcome.Summary);

            Console.WriteLine($"results: {Path.Combine(options.OutputDirectory, ReproductionPipeline.ResultsFileName)}");
        }));
        return command;
    }
}
