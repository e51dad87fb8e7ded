using System.Text.Json.Serialization;

namespace Text2Lora.Training.Hypernetworks;

/// <summary>The paper's three T2L architectures (§3.2).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<HypernetworkSize>))]
public enum HypernetworkSize
{
    /// <summary>L: one head per module emits A and B together.</summary>
    L,

    /// <summary>M: one head per module shared by A and B, told apart by a learned embedding.</summary>
    M,

    /// <summary>S: as M, emitting one rank row at a time.</summary>
    S,
}
