namespace Text2Lora.Reproduction;

/// <summary>Which part of the task suite a task belongs to; the results table reports each group separately.</summary>
internal enum TaskGroup
{
    /// <summary>A training task (<c>train:</c>): every trained model saw its examples.</summary>
    Train,

    /// <summary>A held-out task inside a trained family (<c>heldout_interpolation:</c>); in a suite without groups (v1), every held-out task.</summary>
    Interpolation,

    /// <summary>A held-out task of a kind no training task is an instance of (<c>heldout_new_family:</c>).</summary>
    NewFamily,

    /// <summary>A task for choosing between trained models (<c>validation:</c>), never for the test table's claims.</summary>
    Validation,
}
