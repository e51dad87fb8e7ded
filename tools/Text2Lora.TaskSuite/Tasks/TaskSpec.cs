using Text2Lora.TaskSuite.Inputs;

namespace Text2Lora.TaskSuite.Tasks;

/// <summary>
/// One task of the suite as code: where its inputs come from and the rule that maps an input to its output.
/// Descriptions are not here; they are hand-written in <c>Descriptions/*.yaml</c> under the same name.
/// </summary>
/// <param name="Name">Folder name, snake_case, unique in the suite.</param>
/// <param name="Family">Task family (letters, word_lists, arithmetic, number_facts, categories).</param>
/// <param name="Split">Training or held-out.</param>
/// <param name="Scoring">Exact match or numeric.</param>
/// <param name="Summary">One line for the README: what the rule does.</param>
/// <param name="Inputs">Where inputs are drawn from.</param>
/// <param name="Rule">The input → output rule.</param>
public sealed record TaskSpec(
    string Name,
    string Family,
    TaskSplit Split,
    TaskScoring Scoring,
    string Summary,
    InputSource Inputs,
    Func<string, string> Rule)
{
    /// <summary>The closed label set of a classification task; empty for open-ended outputs.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>For a held-out task, the training tasks it varies or composes (documentation of the transfer).</summary>
    public IReadOnlyList<string> RelatedTo { get; init; } = [];

    /// <summary>Suite v2: the held-out group (<c>interpolation</c>, <c>new_family</c>, <c>validation</c>); null in training tasks and in v1.</summary>
    public string? HeldoutGroup { get; init; }

    /// <summary>Suite v2: the family's parameter values of this task (for example <c>k: 7</c>); null in v1.</summary>
    public IReadOnlyDictionary<string, string>? Parameters { get; init; }

    /// <summary>Number of distinct test inputs.</summary>
    public int TestSize { get; init; } = 50;

    /// <summary>Number of distinct train inputs (fewer only where the input space is exhausted).</summary>
    public int TrainSize { get; init; } = 300;
}
