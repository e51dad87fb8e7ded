using Text2Lora.Abstractions;
using Text2Lora.Lora;
using static TorchSharp.torch;

namespace Text2Lora.Models.Llama;

/// <summary>Inputs of the decoder stack after embedding: everything shared by all layers of one forward pass.</summary>
/// <param name="Embeddings">Input embeddings [N, T, hidden] (already scaled and noised where the family requires).</param>
/// <param name="Cos">Rotary cos [N, T, head_dim].</param>
/// <param name="Sin">Rotary sin [N, T, head_dim].</param>
/// <param name="GlobalBias">Attention bias of full-attention layers.</param>
/// <param name="SlidingBias">Attention bias of sliding-window layers.</param>
/// <param name="Cache">KV cache, when decoding incrementally.</param>
/// <param name="Adapters">Runtime LoRA.</param>
/// <param name="HiddenStates">When not null, receives the embeddings, each layer's output and the final normed state.</param>
internal sealed record DecoderStackInput(
    Tensor Embeddings,
    Tensor Cos,
    Tensor Sin,
    AttentionBias GlobalBias,
    AttentionBias SlidingBias,
    KvCache? Cache,
    ActiveAdapters? Adapters,
    List<Tensor>? HiddenStates);
