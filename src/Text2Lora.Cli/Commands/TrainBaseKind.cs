using System.CommandLine;
using Text2Lora.Training.Pretraining;

namespace Text2Lora.Cli.Commands;

/// <summary>
/// <c>t2l train base --config FILE.json [--output DIR] [--resume]</c>: trains the tiny Llama base model from scratch
/// (<see cref="BaseModelTrainer"/>); the config file is a serialized <see cref="BaseModelPretrainingOptions"/>
/// (e.g. <c>configs/reproduce/base.json</c>). Register with <c>TrainCommand.Create(TrainBaseKind.Create, …)</c>.
/// </summary>
internal static class TrainBaseKind
{
    public static Command Create() => TrainCommand.For(new TrainCommand.TrainerKind<BaseModelPretrainingOptions>(
        "base",
        "Train a tiny Llama base model from scratch on the task suite's training tasks (description + input → output).",
        options => options.Loop,
        (options, loggerFactory) => new BaseModelTrainer(options, loggerFactory)));
}
