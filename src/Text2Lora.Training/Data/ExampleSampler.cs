using Text2Lora.Training.Loop;
using Text2Lora.Tasks;

namespace Text2Lora.Training.Data;

/// <summary>Draws training examples with the run's checkpointed random source, so a resumed run draws the same ones.</summary>
public static class ExampleSampler
{
    /// <summary><paramref name="count"/> examples of <paramref name="task"/>, with replacement.</summary>
    public static IEnumerable<TokenizedExample> From(TokenizedTask task, int count, TrainingRandom random) =>
        Enumerable.Range(0, count).Select(_ => task.Examples[random.Next(task.Examples.Count)]).ToList();

    /// <summary>
    /// The held-out examples of <paramref name="task"/> in consecutive batches of at most <paramref name="batchSize"/>.
    /// </summary>
    public static IEnumerable<IReadOnlyList<TokenizedExample>> Batches(TokenizedTask task, int batchSize) =>
        task.Examples.Chunk(batchSize);
}
