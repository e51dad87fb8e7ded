namespace Text2Lora.Models.Llama;

/// <summary>The gate activation of the gated MLP (<c>hidden_act</c> / Gemma's <c>hidden_activation</c>).</summary>
public enum HiddenActivation
{
    /// <summary><c>silu</c> / <c>swish</c> (Llama, Mistral, Qwen2).</summary>
    Silu,

    /// <summary><c>gelu_pytorch_tanh</c> (Gemma 2): GELU with the tanh approximation.</summary>
    GeluTanh,

    /// <summary><c>gelu</c>: exact (erf) GELU.</summary>
    Gelu,
}
