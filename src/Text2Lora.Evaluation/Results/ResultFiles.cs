using System.Globalization;
using System.Text.Json;
using Text2Lora.IO;

namespace Text2Lora.Evaluation.Results;

/// <summary>
/// Writes results atomically (the final name only ever holds a complete file). Per-item JSONL, one object per line:
/// <c>{"id", "prediction", "gold", "correct", "output"?, "scores"?: [{"label", "loglikelihood", "tokens", "characters"}], "metrics": {name: bool}}</c>;
/// summary JSON: <c>{"benchmark", "items", "correct", "metric", "accuracy", "metrics": {name: mean}}</c>.
/// </summary>
public static class ResultFiles
{
    /// <summary>Writes one JSON line per item to <paramref name="path"/>.</summary>
    public static void WriteItems(string path, IEnumerable<ItemResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        AtomicFile.Write(path, stream =>
        {
            foreach (var result in results)
            {
                using (var writer = new Utf8JsonWriter(stream))
                {
                    WriteItem(writer, result);
                }

                stream.WriteByte((byte)'\n');
            }
        });
    }

    /// <summary>Writes <paramref name="summary"/> as an indented JSON object to <paramref name="path"/>.</summary>
    public static void WriteSummary(string path, EvaluationSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        AtomicFile.Write(path, stream =>
        {
            using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
            writer.WriteStartObject();
            writer.WriteString("benchmark", summary.Benchmark);
            writer.WriteNumber("items", summary.ItemCount);
            writer.WriteNumber("correct", summary.CorrectCount);
            writer.WriteString("metric", summary.PrimaryMetric);
            writer.WriteNumber("accuracy", summary.Accuracy);
            writer.WriteStartObject("metrics");
            foreach (var (name, value) in summary.Metrics)
            {
                writer.WriteNumber(name, value);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        });
    }

    /// <summary>The accuracy line printed by <c>t2l eval</c>: <c>accuracy: 0.xxx</c> (three decimals, invariant culture).</summary>
    public static string AccuracyLine(EvaluationSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return "accuracy: " + summary.Accuracy.ToString("0.000", CultureInfo.InvariantCulture);
    }

    private static void WriteItem(Utf8JsonWriter writer, ItemResult result)
    {
        writer.WriteStartObject();
        writer.WriteString("id", result.Id);
        if (result.Prediction is null)
        {
            writer.WriteNull("prediction");
        }
        else
        {
            writer.WriteString("prediction", result.Prediction);
        }

        writer.WriteString("gold", result.Gold);
        writer.WriteBoolean("correct", result.Correct);
        if (result.Output is not null)
        {
            writer.WriteString("output", result.Output);
        }

        if (result.ChoiceScores is not null)
        {
            writer.WriteStartArray("scores");
            foreach (var score in result.ChoiceScores)
            {
                writer.WriteStartObject();
                writer.WriteString("label", score.Label);
                WriteDouble(writer, "loglikelihood", score.LogLikelihood);
                writer.WriteNumber("tokens", score.TokenCount);
                writer.WriteNumber("characters", score.CharacterCount);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteStartObject("metrics");
        foreach (var (name, correct) in result.Metrics)
        {
            writer.WriteBoolean(name, correct);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteDouble(Utf8JsonWriter writer, string name, double value)
    {
        // JSON has no NaN/Infinity: write those as strings so the line stays valid and the value is not lost.
        if (double.IsFinite(value))
        {
            writer.WriteNumber(name, value);
        }
        else
        {
            writer.WriteString(name, value.ToString(CultureInfo.InvariantCulture));
        }
    }
}
