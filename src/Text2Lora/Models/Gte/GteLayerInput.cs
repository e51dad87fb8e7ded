using static TorchSharp.torch;

namespace Text2Lora.Models.Gte;

/// <summary>What one encoder layer needs: hidden states [B, T, hidden], RoPE tables [T, head_dim] and the additive key-padding bias [B, 1, 1, T] (null: no padding).</summary>
internal sealed record GteLayerInput(Tensor Hidden, Tensor Cos, Tensor Sin, Tensor? AttentionBias);
