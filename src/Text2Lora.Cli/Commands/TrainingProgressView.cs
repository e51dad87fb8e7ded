using System.Globalization;
using Spectre.Console;
using Text2Lora.Abstractions;

namespace Text2Lora.Cli.Commands;

/// <summary>
/// Shows training progress on stderr: a live Spectre.Console progress bar (step, loss, lr, ETA) when stderr is a
/// terminal, with log lines rendered above it (<see cref="LiveRegion"/>); else one line per ~2% of the budget,
/// interleaved line by line with the log lines. stdout keeps only the command's result.
/// </summary>
internal static class TrainingProgressView
{
    public static async Task<TrainingResult> RunAsync(int totalSteps, string title, Func<IProgress<TrainingProgress>, Task<TrainingResult>> run)
    {
        if (LiveRegion.InteractiveConsole() is not { } console)
        {
            var every = Math.Max(1, totalSteps / 50);
            return await run(new LineProgress(every)).ConfigureAwait(false);
        }

        return await LiveRegion.ShowAsync(console, async () =>
        {
            TrainingResult? result = null;
            await console.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask(Markup.Escape(title), maxValue: totalSteps);
                    var progress = new BarProgress(task);
                    result = await run(progress).ConfigureAwait(false);
                    task.Value = task.MaxValue;
                }).ConfigureAwait(false);
            return result!;
        }).ConfigureAwait(false);
    }

    private static string Describe(TrainingProgress p) =>
        string.Create(CultureInfo.InvariantCulture,
            $"step {p.Step}/{p.TotalSteps}  loss {p.TrainLoss:F4}  lr {p.LearningRate:G3}{(p.ValidationLoss is { } v ? $"  val {v:F4}" : "")}  eta {p.EstimatedRemaining:hh\\:mm\\:ss}");

    private sealed class BarProgress(ProgressTask task) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            task.Value = value.Step;
            task.Description = Markup.Escape(Describe(value));
        }
    }

    private sealed class LineProgress(int every) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.Step % every == 0 || value.Step == value.TotalSteps)
            {
                LiveRegion.WriteLine(Describe(value));
            }
        }
    }
}
