namespace Text2Lora.Training.Metrics;

/// <summary>Renders the training (and validation) loss curves of a run to a PNG with ScottPlot.</summary>
internal static class LossCurvePlot
{
    /// <summary>File name inside the output folder.</summary>
    public const string FileName = "loss.png";

    /// <summary>Writes the plot of <paramref name="rows"/> to <paramref name="path"/> (atomically).</summary>
    public static void Save(IReadOnlyList<MetricsRow> rows, string path, string title)
    {
        var plot = new ScottPlot.Plot();
        var train = plot.Add.Scatter(rows.Select(r => (double)r.Step).ToArray(), rows.Select(r => r.TrainLoss).ToArray());
        train.LegendText = "train loss";
        train.MarkerSize = 0;
        var validated = rows.Where(r => r.ValLoss is not null).ToArray();
        if (validated.Length > 0)
        {
            var val = plot.Add.Scatter(validated.Select(r => (double)r.Step).ToArray(), validated.Select(r => r.ValLoss!.Value).ToArray());
            val.LegendText = "validation loss";
            val.MarkerSize = 6;
        }

        plot.Title(title);
        plot.XLabel("step");
        plot.YLabel("loss");
        plot.ShowLegend();
        var bytes = plot.GetImageBytes(900, 500, ScottPlot.ImageFormat.Png);
        Text2Lora.IO.AtomicFile.Write(path, stream => stream.Write(bytes));
    }
}
