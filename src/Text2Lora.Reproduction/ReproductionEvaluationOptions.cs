using System.ComponentModel.DataAnnotations;

namespace Text2Lora.Reproduction;

/// <summary>How <c>t2l reproduce</c> measures the rows of its results table on the suite's test splits.</summary>
public sealed class ReproductionEvaluationOptions
{
    /// <summary>First test examples scored per task (a task with fewer uses all of them).</summary>
    [Range(1, 100_000)]
    public int ExamplesPerTask { get; set; } = 50;

    /// <summary>Greedy generation stops at EOS or after this many tokens.</summary>
    [Range(1, 1024)]
    public int MaxNewTokens { get; set; } = 32;

    /// <summary>Prompts generated together (with per-sequence adapters).</summary>
    [Range(1, 4096)]
    public int BatchSize { get; set; } = 64;

    /// <summary>Seed of the control rows' choices (which unrelated task's descriptions, which random words).</summary>
    public int ControlSeed { get; set; } = 7;
}
