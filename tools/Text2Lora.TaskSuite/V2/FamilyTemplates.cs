namespace Text2Lora.TaskSuite.V2;

/// <summary>The training and held-out templates of one family.</summary>
public sealed record FamilyTemplates(IReadOnlyList<DescriptionTemplate> Train, IReadOnlyList<DescriptionTemplate> Heldout);
