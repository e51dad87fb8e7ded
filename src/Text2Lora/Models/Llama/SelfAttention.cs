using TorchSharp;
using Text2Lora.Lora;
using static TorchSharp.torch;

namespace Text2Lora.Models.Llama;

/// <summary>
/// Grouped-query self-attention with RoPE (transformers' LlamaAttention and its Mistral/Qwen2/Gemma2 variants).
/// Uses the fused scaled_dot_product_attention kernel unless Gemma 2's score soft-capping or a non-default
/// query scale requires the explicit softmax path.
/// </summary>
internal sealed class SelfAttention : nn.Module<DecoderLayerInput, Tensor>
{
    private readonly LoraLinear q_proj;
    private readonly LoraLinear k_proj;
    private readonly LoraLinear v_proj;
    private readonly LoraLinear o_proj;
    private readonly int _layer;
    private readonly long _heads;
    private readonly long _kvHeads;
    private readonly long _headDim;
    private readonly double _scale;
    private readonly double? _softcap;
    private readonly bool _fused;

    public SelfAttention(string prefix, int layer, LlamaFamilyConfig config, ScalarType dtype, Device device)
        : base("self_attn")
    {
        _layer = layer;
        _heads = config.NumAttentionHeads;
        _kvHeads = config.NumKeyValueHeads;
        _headDim = config.HeadDim;
        _scale = config.AttentionScale;
        _softcap = config.AttentionLogitSoftcapping;
        _fused = _softcap is null && Math.Abs(_scale - (1.0 / Math.Sqrt(_headDim))) < 1e-12 * _scale;
        var hidden = config.HiddenSize;
        q_proj = new LoraLinear(prefix + "q_proj", hidden, _heads * _headDim, config.QkvBias, dtype, device);
        k_proj = new LoraLinear(prefix + "k_proj", hidden, _kvHeads * _headDim, config.QkvBias, dtype, device);
        v_proj = new LoraLinear(prefix + "v_proj", hidden, _kvHeads * _headDim, config.QkvBias, dtype, device);
        o_proj = new LoraLinear(prefix + "o_proj", _heads * _headDim, hidden, config.OutputBias, dtype, device);
        RegisterComponents();
    }

    /// <summary>Whether this attention can use the fused kernel (else the bias must be an explicit mask).</summary>
    public bool UsesFusedKernel => _fused;

    public override Tensor forward(DecoderLayerInput input)
    {
        using var scope = NewDisposeScope();
        var x = input.Hidden;
        var (n, t) = (x.shape[0], x.shape[1]);
        var q = q_proj.call(x, input.Adapters).view(n, t, _heads, _headDim).transpose(1, 2);
        var k = k_proj.call(x, input.Adapters).view(n, t, _kvHeads, _headDim).transpose(1, 2);
        var v = v_proj.call(x, input.Adapters).view(n, t, _kvHeads, _headDim).transpose(1, 2);

        var cos = input.Cos.unsqueeze(1);
        var sin = input.Sin.unsqueeze(1);
        q = q.mul(cos).add_(RotateHalf(q).mul_(sin));
        k = k.mul(cos).add_(RotateHalf(k).mul_(sin));

        if (input.Cache is { } cache)
        {
            (k, v) = cache.Append(_layer, k, v);
        }

        var attended = t == 1 ? AttendGrouped(q, k, v, input.Bias) : Attend(q, RepeatKv(k), RepeatKv(v), input.Bias);
        var merged = attended.transpose(1, 2).reshape(n, t, _heads * _headDim);
        return o_proj.call(merged, input.Adapters).MoveToOuterDisposeScope();
    }

    /// <summary>(x1, x2) → (−x2, x1) over the two halves of the head dimension.</summary>
    private Tensor RotateHalf(Tensor x)
    {
        var half = _headDim / 2;
        return cat([x.narrow(-1, half, half).neg(), x.narrow(-1, 0, half)], -1);
    }

    /// <summary>Key/value heads repeated for their query groups: [N, kv, S, D] → [N, heads, S, D].</summary>
    private Tensor RepeatKv(Tensor x)
    {
        if (_heads == _kvHeads)
        {
            return x;
        }

        var (n, s) = (x.shape[0], x.shape[2]);
        return x.unsqueeze(2).expand(n, _kvHeads, _heads / _kvHeads, s, _headDim).reshape(n, _heads, s, _headDim);
    }

    /// <summary>
    /// One query per sequence (decoding): the queries of a KV group become rows of one [groups, D] block, so the
    /// cached keys are used in place instead of being repeated per query head.
    /// </summary>
    private Tensor AttendGrouped(Tensor q, Tensor k, Tensor v, AttentionBias bias)
    {
        var n = q.shape[0];
        var grouped = q.reshape(n, _kvHeads, _heads / _kvHeads, _headDim);
        var output = Attend(grouped, k, v, bias);
        return output.reshape(n, _heads, 1, _headDim);
    }

    private Tensor Attend(Tensor q, Tensor k, Tensor v, AttentionBias bias)
    {
        if (_fused)
        {
            return nn.functional.scaled_dot_product_attention(q, k, v, bias.Additive, 0.0, bias.IsCausal);
        }

        // Explicit path (transformers' eager attention): scores · scale, soft-cap c·tanh(s/c), mask, softmax in float32.
        var scores = q.matmul(k.transpose(-2, -1)).mul(_scale);
        if (_softcap is { } cap)
        {
            scores = scores.div(cap).tanh_().mul_(cap);
        }

        if (bias.Additive is { } mask)
        {
            scores = scores.add(mask);
        }

        var weights = nn.functional.softmax(scores, -1, ScalarType.Float32).to_type(q.dtype);
        return weights.matmul(v);
    }
}
