using Text2Lora.Abstractions;
using Text2Lora.Lora;
using static TorchSharp.torch;

namespace Text2Lora.Models.Llama;

/// <summary>What one decoder layer (and its attention) needs besides the hidden states.</summary>
/// <param name="Hidden">Hidden states [N, T, hidden].</param>
/// <param name="Cos">Rotary cos [N, T, head_dim].</param>
/// <param name="Sin">Rotary sin [N, T, head_dim].</param>
/// <param name="Bias">Attention restrictions for this layer (global or sliding-window).</param>
/// <param name="Cache">KV cache to append to and attend over (null: attend over this call's tokens only).</param>
/// <param name="Adapters">Runtime LoRA (null: base weights only).</param>
internal sealed record DecoderLayerInput(Tensor Hidden, Tensor Cos, Tensor Sin, AttentionBias Bias, KvCache? Cache, ActiveAdapters? Adapters);
