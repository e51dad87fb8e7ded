using System.Globalization;
using Text2Lora.Evaluation.Running;

namespace Text2Lora.Cli.Commands;

/// <summary>
/// <c>t2l eval</c>'s progress: one line on stderr at every 5 % of the items (and the last), with the running accuracy.
/// Plain lines, so they interleave cleanly with the log lines (also on stderr) and survive redirection; stdout keeps
/// only the result.
/// </summary>
internal sealed class EvalProgressLines(TextWriter error) : IProgress<EvaluationProgress>
{
    private int _lastReported;

    public void Report(EvaluationProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var step = Math.Max(1, value.Total / 20);
        if (value.Completed != value.Total && value.Completed - _lastReported < step)
        {
            return;
        }

        _lastReported = value.Completed;
        var accuracy = value.Completed == 0 ? 0 : (double)value.Correct / value.Completed;
        error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"eval: {value.Completed}/{value.Total} items, accuracy so far {accuracy:0.000}"));
    }
}
