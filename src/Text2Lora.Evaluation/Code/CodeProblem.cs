namespace Text2Lora.Evaluation.Code;

/// <summary>A code-generation problem (HumanEval / MBPP style) whose completion is judged by running tests.</summary>
/// <param name="TaskId">The problem's id (<c>HumanEval/0</c>, <c>11</c>).</param>
/// <param name="Prompt">What the model continues (a signature and docstring, or an instruction).</param>
/// <param name="TestProgram">Test code to run against the completed program (HumanEval's <c>check</c>, MBPP's asserts).</param>
/// <param name="EntryPoint">The function under test, when the test program needs its name.</param>
public sealed record CodeProblem(string TaskId, string Prompt, string TestProgram, string? EntryPoint);
