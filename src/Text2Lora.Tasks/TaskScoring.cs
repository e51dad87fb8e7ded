namespace Text2Lora.Tasks;

/// <summary>How a task suite's generated answers are scored (the <c>scoring:</c> key of <c>metadata.yaml</c>).</summary>
public enum TaskScoring
{
    /// <summary>The trimmed answer equals the trimmed output, case-sensitively (so "apple" does not pass for "APPLE").</summary>
    Exact,

    /// <summary>The first integer in the answer equals the output's integer (text around it is ignored).</summary>
    Numeric,
}
