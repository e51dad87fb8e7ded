using YamlDotNet.Serialization;

namespace Text2Lora.TaskSuite.Output;

/// <summary>The content of <c>suite.yaml</c>: the suite's training and held-out task lists.</summary>
public sealed class SuiteManifest
{
    /// <summary>Suite name.</summary>
    [YamlMember(Alias = "name", Order = 0)]
    public required string Name { get; init; }

    /// <summary>Format version.</summary>
    [YamlMember(Alias = "format_version", Order = 1)]
    public required int FormatVersion { get; init; }

    /// <summary>The generation seed.</summary>
    [YamlMember(Alias = "seed", Order = 2)]
    public required ulong Seed { get; init; }

    /// <summary>How to regenerate the folder.</summary>
    [YamlMember(Alias = "generator", Order = 3)]
    public required string Generator { get; init; }

    /// <summary>Training task names, in suite order.</summary>
    [YamlMember(Alias = "train", Order = 4)]
    public required List<string> Train { get; init; }

    /// <summary>Held-out task names, in suite order.</summary>
    [YamlMember(Alias = "heldout", Order = 5)]
    public required List<string> Heldout { get; init; }

    /// <summary>Suite v2: the held-out tasks of the interpolation group (omitted in v1).</summary>
    [YamlMember(Alias = "heldout_interpolation", Order = 6)]
    public List<string>? HeldoutInterpolation { get; init; }

    /// <summary>Suite v2: the held-out tasks of the new-family group (omitted in v1).</summary>
    [YamlMember(Alias = "heldout_new_family", Order = 7)]
    public List<string>? HeldoutNewFamily { get; init; }

    /// <summary>Suite v2: tasks held out from training for model selection only, never reported as test results (omitted in v1).</summary>
    [YamlMember(Alias = "validation", Order = 8)]
    public List<string>? Validation { get; init; }

    /// <summary>Suite v2: generic pretraining files inside the folder, for the base model only (omitted in v1).</summary>
    [YamlMember(Alias = "pretraining", Order = 9)]
    public List<string>? Pretraining { get; init; }
}
