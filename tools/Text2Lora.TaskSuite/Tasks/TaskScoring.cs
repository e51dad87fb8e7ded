namespace Text2Lora.TaskSuite.Tasks;

/// <summary>How a prediction is compared with the reference output.</summary>
public enum TaskScoring
{
    /// <summary>The trimmed prediction must equal the reference string exactly (case-sensitive).</summary>
    Exact,

    /// <summary>The first integer in the prediction must equal the reference integer.</summary>
    Numeric,
}
