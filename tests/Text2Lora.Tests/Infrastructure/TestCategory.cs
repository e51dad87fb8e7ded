namespace Text2Lora.Tests.Infrastructure;

/// <summary>
/// The guarantee a test class proves, as the xUnit trait <c>Category</c>, so a failure says which guarantee broke and a
/// run can pick one (<c>dotnet test --filter Category=Parity</c>). Every test class carries exactly one.
/// </summary>
internal static class TestCategory
{
    /// <summary>The trait's name.</summary>
    public const string Key = "Category";

    /// <summary>Numbers match the reference implementations (PyTorch, transformers, PEFT, the T2L reference) on fixtures.</summary>
    public const string Parity = "Parity";

    /// <summary>Native (TorchSharp) memory stays bounded: no tensor leaks across calls or steps.</summary>
    public const string Memory = "Memory";

    /// <summary>Trainers and the training loop: runs, resumes, checkpoints, losses.</summary>
    public const string Training = "Training";

    /// <summary>Whole flows through the CLI or the library (generate → load → answer, reproduce, eval).</summary>
    public const string EndToEnd = "EndToEnd";

    /// <summary>Bad input is refused with a typed error naming the file and field; nothing is overwritten.</summary>
    public const string InputErrors = "InputErrors";

    /// <summary>The dependency rules of docs/architecture.md.</summary>
    public const string Architecture = "Architecture";

    /// <summary>One component's behaviour on its own.</summary>
    public const string Behaviour = "Behaviour";
}
