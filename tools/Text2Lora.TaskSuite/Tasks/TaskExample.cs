namespace Text2Lora.TaskSuite.Tasks;

/// <summary>One line of <c>train.jsonl</c> / <c>test.jsonl</c>.</summary>
public sealed record TaskExample(string Input, string Output);
