using YamlDotNet.Serialization;

namespace Text2Lora.TaskSuite.Output;

/// <summary>The content of a task's <c>metadata.yaml</c>, in the T2L reference's folder format (a <c>descriptions</c> list) plus our fields.</summary>
public sealed class TaskMetadata
{
    /// <summary>Task (folder) name.</summary>
    [YamlMember(Alias = "name", Order = 0)]
    public required string Name { get; init; }

    /// <summary>Task family.</summary>
    [YamlMember(Alias = "family", Order = 1)]
    public required string Family { get; init; }

    /// <summary><c>train</c> or <c>heldout</c>.</summary>
    [YamlMember(Alias = "split", Order = 2)]
    public required string Split { get; init; }

    /// <summary>Suite v2, held-out tasks: <c>interpolation</c>, <c>new_family</c> or <c>validation</c> (omitted otherwise).</summary>
    [YamlMember(Alias = "heldout_group", Order = 3)]
    public string? HeldoutGroup { get; init; }

    /// <summary><c>exact</c> or <c>numeric</c>.</summary>
    [YamlMember(Alias = "scoring", Order = 4)]
    public required string Scoring { get; init; }

    /// <summary>What the rule does, in a few words.</summary>
    [YamlMember(Alias = "summary", Order = 5)]
    public required string Summary { get; init; }

    /// <summary>Suite v2: the family's parameter values of this task (omitted when null).</summary>
    [YamlMember(Alias = "parameters", Order = 6)]
    public SortedDictionary<string, string>? Parameters { get; init; }

    /// <summary>Closed label set of a classification task (omitted when empty).</summary>
    [YamlMember(Alias = "labels", Order = 7)]
    public List<string>? Labels { get; init; }

    /// <summary>Held-out tasks: the training tasks they vary or compose (omitted when empty).</summary>
    [YamlMember(Alias = "related_to", Order = 8)]
    public List<string>? RelatedTo { get; init; }

    /// <summary>Number of lines of <c>train.jsonl</c>.</summary>
    [YamlMember(Alias = "train_examples", Order = 9)]
    public required int TrainExamples { get; init; }

    /// <summary>Number of lines of <c>test.jsonl</c>.</summary>
    [YamlMember(Alias = "test_examples", Order = 10)]
    public required int TestExamples { get; init; }

    /// <summary>The hand-written natural-language descriptions, the hypernetwork's input.</summary>
    [YamlMember(Alias = "descriptions", Order = 11)]
    public required List<string> Descriptions { get; init; }
}
