namespace Text2Lora.TaskSuite.Tasks;

/// <summary>The held-out groups of suite v2, as written in <c>metadata.yaml</c> (<c>heldout_group:</c>).</summary>
public static class HeldoutGroups
{
    /// <summary>An unseen parameter value or combination inside a family the hypernetwork was trained on.</summary>
    public const string Interpolation = "interpolation";

    /// <summary>A kind of task absent from training.</summary>
    public const string NewFamily = "new_family";
}
