namespace Text2Lora.Tests.TaskSuite;

/// <summary>One committed task, as read from its folder.</summary>
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
    public IEnumerable<(string Input, string Output)> AllExamples => Train.Concat(Test);
}
