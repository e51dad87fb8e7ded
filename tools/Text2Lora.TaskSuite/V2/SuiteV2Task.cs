using Text2Lora.TaskSuite.Tasks;

namespace Text2Lora.TaskSuite.V2;

/// <summary>A task of suite v2: its specification, the template family its descriptions come from, and the slot values.</summary>
/// <param name="Spec">Rule, inputs, split, held-out group and parameters.</param>
/// <param name="TemplateFamily">The key of its templates in <c>V2/Templates/*.yaml</c>.</param>
/// <param name="Slots">Slot name → its renderings in descriptions (for example <c>k</c> → "7", "seven").</param>
public sealed record SuiteV2Task(TaskSpec Spec, string TemplateFamily, IReadOnlyDictionary<string, IReadOnlyList<string>> Slots);
