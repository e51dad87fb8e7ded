using Text2Lora.TaskSuite.Inputs;
using Text2Lora.TaskSuite.Tasks;

namespace Text2Lora.TaskSuite.V2;

/// <summary>One parameter value of a parameterised family, as a task.</summary>
/// <param name="Name">Task name.</param>
/// <param name="Summary">What the rule does, for the README.</param>
/// <param name="Inputs">Where its inputs come from.</param>
/// <param name="Rule">Input → output.</param>
/// <param name="Parameters">Parameter name → value, written to the metadata.</param>
/// <param name="Slots">Slot name → renderings in descriptions.</param>
public sealed record FamilyMember(
    string Name,
    string Summary,
    InputSource Inputs,
    Func<string, string> Rule,
    IReadOnlyDictionary<string, string> Parameters,
    IReadOnlyDictionary<string, IReadOnlyList<string>> Slots)
{
    /// <summary>Exact or numeric scoring.</summary>
    public TaskScoring Scoring { get; init; } = TaskScoring.Exact;
}
