using System.Text.Json;
using Text2Lora.IO;

namespace Text2Lora.Reproduction;

/// <summary>
/// Wall time of each pipeline stage, kept in <c>stage-times.json</c> of the output folder so that a resumed run still
/// reports the time of the stages it skipped.
/// </summary>
internal sealed class StageTiming
{
    /// <summary>The file's name in the output folder.</summary>
    public const string FileName = "stage-times.json";

    private readonly string _path;
    private readonly SortedDictionary<string, double> _seconds;

    private StageTiming(string path, SortedDictionary<string, double> seconds)
    {
        _path = path;
        _seconds = seconds;
    }

    /// <summary>Seconds per stage, in stage-name order.</summary>
    public IReadOnlyDictionary<string, double> Seconds => _seconds;

    /// <summary>The recorded times of <paramref name="outputDirectory"/> (none when the file is absent).</summary>
    /// <exception cref="PipelineStateException">The file is not a JSON object of numbers.</exception>
    public static StageTiming Load(string outputDirectory)
    {
        var path = Path.Combine(outputDirectory, FileName);
        if (!File.Exists(path))
        {
            return new StageTiming(path, new SortedDictionary<string, double>(StringComparer.Ordinal));
        }

        try
        {
            var values = JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(path)) ?? [];
            return new StageTiming(path, new SortedDictionary<string, double>(values, StringComparer.Ordinal));
        }
        catch (JsonException ex)
        {
            throw new PipelineStateException(path, $"not a JSON object of stage → seconds: {ex.Message}", ex);
        }
    }

    /// <summary>Records <paramref name="seconds"/> for <paramref name="stage"/> and saves the file.</summary>
    public void Record(string stage, double seconds)
    {
        _seconds[stage] = seconds;
        AtomicFile.WriteAllText(_path, JsonSerializer.Serialize(_seconds, new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>The recorded time of <paramref name="stage"/>, when there is one.</summary>
    public double? Of(string stage) => _seconds.TryGetValue(stage, out var seconds) ? seconds : null;
}
