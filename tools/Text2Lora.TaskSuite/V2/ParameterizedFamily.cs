using Text2Lora.TaskSuite.Tasks;

namespace Text2Lora.TaskSuite.V2;

/// <summary>
/// Turns the parameter values of one family into tasks: every value is a training task except the held-out ones
/// (interpolation: reported as held-out test tasks; validation: used only for model selection). A held-out task
/// relates to the nearest training values on each side, the ones it interpolates between.
/// </summary>
public static class ParameterizedFamily
{
    /// <summary>Builds the family's tasks, in the order of <paramref name="values"/>.</summary>
    public static IEnumerable<SuiteV2Task> Build<T>(
        string family,
        IReadOnlyList<T> values,
        IReadOnlyCollection<T> interpolation,
        IReadOnlyCollection<T> validation,
        Func<T, FamilyMember> member)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(member);
        var missing = interpolation.Concat(validation).Where(v => !values.Contains(v)).ToList();
        if (missing.Count > 0 || interpolation.Intersect(validation).Any())
        {
            throw new InvalidOperationException($"Family '{family}': held-out values must be distinct values of the family.");
        }

        var splits = values.Select(v => interpolation.Contains(v) ? TaskSplit.Heldout : validation.Contains(v) ? TaskSplit.Validation : TaskSplit.Train).ToList();
        var members = values.Select(member).ToList();
        for (var i = 0; i < values.Count; i++)
        {
            var m = members[i];
            var related = splits[i] == TaskSplit.Train ? [] : Neighbours(i);
            var spec = new TaskSpec(m.Name, family, splits[i], m.Scoring, m.Summary, m.Inputs, m.Rule)
            {
                HeldoutGroup = splits[i] == TaskSplit.Train ? null : HeldoutGroups.Interpolation,
                Parameters = m.Parameters,
                RelatedTo = related,
                TestSize = SuiteV2Settings.TestSize,
                TrainSize = SuiteV2Settings.TrainSize,
            };
            yield return new SuiteV2Task(spec, family, m.Slots);
        }

        List<string> Neighbours(int index)
        {
            var below = Enumerable.Range(0, index).Reverse().Where(j => splits[j] == TaskSplit.Train).Take(2).Reverse();
            var above = Enumerable.Range(index + 1, values.Count - index - 1).Where(j => splits[j] == TaskSplit.Train).Take(2);
            return [.. below.Concat(above).Select(j => members[j].Name)];
        }
    }
}
