using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Text2Lora.Abstractions;

namespace Text2Lora.Chat;

/// <summary>
/// An <see cref="IChatClient"/> that answers each request with a LoRA adapter generated from the task description the
/// request carries (<see cref="Text2LoraChatOptions.WithTaskDescription"/>): one hypernetwork pass, then the inner
/// client (a <see cref="BaseModelChatClient"/>) decodes with that adapter; the adapter is disposed when the answer is
/// done. Requests without a description go to the inner client unchanged (the base model, or the adapter they carry).
/// </summary>
public sealed class TaskAdapterChatClient : DelegatingChatClient
{
    private readonly ILoraGenerator _generator;

    /// <summary>Creates the client over <paramref name="inner"/> (owned: disposed with this client).</summary>
    public TaskAdapterChatClient(IChatClient inner, ILoraGenerator generator)
        : base(inner)
    {
        _generator = generator ?? throw new ArgumentNullException(nameof(generator));
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (options.GetTaskDescription() is not { } description)
        {
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }

        using var adapter = await _generator.FromDescriptionAsync(description, cancellationToken).ConfigureAwait(false);
        return await base.GetResponseAsync(messages, WithAdapter(options!, adapter), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (options.GetTaskDescription() is not { } description)
        {
            await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
            {
                yield return update;
            }

            yield break;
        }

        using var adapter = await _generator.FromDescriptionAsync(description, cancellationToken).ConfigureAwait(false);
        await foreach (var update in base.GetStreamingResponseAsync(messages, WithAdapter(options!, adapter), cancellationToken).ConfigureAwait(false))
        {
            yield return update;
        }
    }

    /// <summary>A copy of the caller's options carrying the generated adapter (the caller's object is not changed).</summary>
    private static ChatOptions WithAdapter(ChatOptions options, Lora.LoraAdapter adapter)
    {
        var copy = options.Clone();
        copy.AdditionalProperties = new AdditionalPropertiesDictionary(options.AdditionalProperties ?? []);
        copy.AdditionalProperties.Remove(Text2LoraChatOptions.DescriptionKey);
        return copy.WithAdapter(adapter);
    }
}
