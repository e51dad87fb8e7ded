namespace Text2Lora.Tokenization.ChatTemplates;

/// <summary>The prompt formats Text2Lora renders.</summary>
public enum ChatTemplateFamily
{
    /// <summary>Mistral-7B-Instruct-v0.2 (<c>[INST] … [/INST]</c>).</summary>
    Mistral,

    /// <summary>Llama-3 / Llama-3.1 Instruct (<c>&lt;|start_header_id|&gt;</c> headers, <c>&lt;|eot_id|&gt;</c>).</summary>
    Llama3,

    /// <summary>Gemma / Gemma-2 instruction-tuned (<c>&lt;start_of_turn&gt;</c>).</summary>
    Gemma,

    /// <summary>ChatML as used by Qwen2 / Qwen2.5 Instruct (<c>&lt;|im_start|&gt;</c>).</summary>
    ChatMl,
}
