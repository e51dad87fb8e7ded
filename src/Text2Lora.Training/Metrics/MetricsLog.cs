using System.Globalization;
using System.Text;
using Text2Lora.IO;

namespace Text2Lora.Training.Metrics;

/// <summary>One row of <c>metrics.csv</c>.</summary>
/// <param name="Step">1-based count of optimizer steps done.</param>
/// <param name="TrainLoss">Mean micro-batch loss of the step.</param>
/// <param name="LearningRate">Learning rate of the step.</param>
/// <param name="GradNorm">Global gradient norm before clipping.</param>
/// <param name="ValLoss">Validation loss after the step, when validation ran.</param>
/// <param name="ElapsedSeconds">Wall seconds since the run (or resumed run) started.</param>
internal sealed record MetricsRow(int Step, double TrainLoss, double LearningRate, double GradNorm, double? ValLoss, double ElapsedSeconds);

/// <summary>The run's metrics, written atomically as <c>metrics.csv</c> (header: step,train_loss,lr,grad_norm,val_loss,elapsed_s).</summary>
internal sealed class MetricsLog
{
    /// <summary>File name inside the output folder.</summary>
    public const string FileName = "metrics.csv";

    private const string Header = "step,train_loss,lr,grad_norm,val_loss,elapsed_s";
    private readonly List<MetricsRow> _rows = [];

    /// <summary>Rows so far, in step order.</summary>
    public IReadOnlyList<MetricsRow> Rows => _rows;

    /// <summary>Appends a row.</summary>
    public void Add(MetricsRow row) => _rows.Add(row);

    /// <summary>Writes all rows to <paramref name="path"/> atomically.</summary>
    public void Save(string path)
    {
        var text = new StringBuilder(Header).Append('\n');
        foreach (var r in _rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"{r.Step},{r.TrainLoss:R},{r.LearningRate:R},{r.GradNorm:R},{(r.ValLoss is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : "")},{r.ElapsedSeconds:F3}\n");
        }

        AtomicFile.WriteAllText(path, text.ToString());
    }

    /// <summary>Reads the rows of an earlier run up to and including <paramref name="lastStep"/> (for resuming).</summary>
    public static MetricsLog Load(string path, int lastStep)
    {
        var log = new MetricsLog();
        if (!File.Exists(path))
        {
            return log;
        }

        var lines = File.ReadAllLines(path);
        for (var i = 1; i < lines.Length; i++)
        {
            var f = lines[i].Split(',');
            if (f.Length != 6)
            {
                throw new InvalidDataException($"'{path}' line {i + 1}: expected 6 comma-separated fields.");
            }

            var row = new MetricsRow(
                int.Parse(f[0], CultureInfo.InvariantCulture),
                double.Parse(f[1], CultureInfo.InvariantCulture),
                double.Parse(f[2], CultureInfo.InvariantCulture),
                double.Parse(f[3], CultureInfo.InvariantCulture),
                f[4].Length == 0 ? null : double.Parse(f[4], CultureInfo.InvariantCulture),
                double.Parse(f[5], CultureInfo.InvariantCulture));
            if (row.Step <= lastStep)
            {
                log.Add(row);
            }
        }

        return log;
    }
}
