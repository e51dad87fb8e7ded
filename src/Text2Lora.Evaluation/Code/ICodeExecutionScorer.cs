namespace Text2Lora.Evaluation.Code;

/// <summary>
/// Extension point for pass@k on code tasks (HumanEval, MBPP; the T2L paper uses EvalPlus). The harness does not ship an
/// implementation: judging a completion means executing untrusted model-written code, which needs a sandbox (container,
/// no network, time and memory limits) that belongs to the deployment, not to this library. An implementation runs
/// <see cref="CodeProblem.Prompt"/> + completion + <see cref="CodeProblem.TestProgram"/> in such a sandbox; with one
/// greedy completion per problem, pass@1 is the fraction of problems that pass (see <see cref="PassAtK"/> for k &gt; 1).
/// </summary>
public interface ICodeExecutionScorer
{
    /// <summary>Runs the problem's tests against <paramref name="completion"/>; true when all pass within the limits.</summary>
    Task<bool> PassesAsync(CodeProblem problem, string completion, CancellationToken cancellationToken = default);
}
