using Text2Lora.Evaluation.Items;

namespace Text2Lora.Evaluation.Benchmarks;

/// <summary>A benchmark stored as one JSONL file, one item per line.</summary>
public abstract class JsonlBenchmark : IBenchmark
{
    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public abstract bool IsMultipleChoice { get; }

    /// <inheritdoc />
    public IReadOnlyList<EvaluationItem> Load(string path, BenchmarkPromptFormat format, int? limit = null) =>
        JsonlFile.Read(path, limit).Select(record => Parse(record, format)).ToList();

    /// <summary>Builds the item of one line.</summary>
    protected abstract EvaluationItem Parse(JsonlRecord record, BenchmarkPromptFormat format);
}
