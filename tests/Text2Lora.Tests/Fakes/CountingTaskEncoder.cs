using Text2Lora.Abstractions;
using static TorchSharp.torch;

namespace Text2Lora.Tests.Fakes;

/// <summary>
/// TEST FAKE: wraps a real encoder (or, with no inner encoder, hashes characters into a tiny deterministic
/// vector) and records every batch it is asked to embed, to check caching and batching.
/// </summary>
internal sealed class CountingTaskEncoder(ITaskEncoder? inner = null, int size = 8) : ITaskEncoder
{
    public string Id => inner?.Id ?? "test/char-hash";

    public int EmbeddingSize => inner?.EmbeddingSize ?? size;

    public List<IReadOnlyList<string>> Batches { get; } = [];

    public Tensor Encode(IReadOnlyList<string> descriptions, CancellationToken cancellationToken = default)
    {
        lock (Batches)
        {
            Batches.Add([.. descriptions]);
        }

        if (inner is not null)
        {
            return inner.Encode(descriptions, cancellationToken);
        }

        var flat = new float[descriptions.Count * size];
        for (var i = 0; i < descriptions.Count; i++)
        {
            foreach (var c in descriptions[i])
            {
                flat[(i * size) + (c % size)] += 1;
            }
        }

        return tensor(flat, [descriptions.Count, size]);
    }
}
