namespace Text2Lora.Evaluation.Demo;

/// <summary>One input's three answers.</summary>
/// <param name="Input">The input.</param>
/// <param name="Base">The plain base model's answer.</param>
/// <param name="BaseWithDescription">The base model's answer with the description in the prompt.</param>
/// <param name="Adapted">The answer with the generated adapter.</param>
public sealed record DemoRow(string Input, string Base, string BaseWithDescription, string Adapted);
