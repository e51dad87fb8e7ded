using Text2Lora.Evaluation.Items;

namespace Text2Lora.Evaluation.Benchmarks;

/// <summary>A benchmark format: reads its test data into scorable items.</summary>
public interface IBenchmark
{
    /// <summary>The name used on the command line (<c>arc_easy</c>, <c>gsm8k</c>, <c>tasks</c>...).</summary>
    string Name { get; }

    /// <summary>Whether the items are <see cref="MultipleChoiceItem"/>s (otherwise <see cref="GenerationItem"/>s).</summary>
    bool IsMultipleChoice { get; }

    /// <summary>
    /// Reads the first <paramref name="limit"/> items (null: all) of <paramref name="path"/> (a JSONL file, or a task folder
    /// for <c>tasks</c>) with the templates of <paramref name="format"/>.
    /// </summary>
    /// <exception cref="BenchmarkFormatException">A line or field does not match the benchmark's schema.</exception>
    IReadOnlyList<EvaluationItem> Load(string path, BenchmarkPromptFormat format, int? limit = null);
}
