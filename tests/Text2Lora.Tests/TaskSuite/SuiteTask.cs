namespace Text2Lora.Tests.TaskSuite;

/// <summary>One committed task (suite v1 or v2), as read from its folder.</summary>
internal sealed record SuiteTask(
    string Name,
    string Family,
    string Split,
    string Scoring,
    IReadOnlyList<string> Descriptions,
    IReadOnlyList<string> Labels,
    IReadOnlyList<string> RelatedTo,
    IReadOnlyList<(string Input, string Output)> Train,
    IReadOnlyList<(string Input, string Output)> Test)
{
    /// <summary>Suite v2: <c>heldout_group:</c> of a held-out or validation task; null otherwise.</summary>
    public string? HeldoutGroup { get; init; }

    /// <summary>Suite v2: <c>parameters:</c> (name → value); empty in v1.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    public IEnumerable<(string Input, string Output)> AllExamples => Train.Concat(Test);
}
