using TorchSharp;
using Text2Lora.Models.Llama;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Text2Lora.Models.Gte;

/// <summary>
/// <c>embeddings</c>: <c>LayerNorm(word_embeddings[ids] + token_type_embeddings[types])</c>. There is no absolute
/// position embedding (positions enter through RoPE in the attention); absent token types are zeros, so row 0 of the
/// token-type table is still added (new-impl <c>NewEmbeddings</c>).
/// </summary>
internal sealed class GteEmbeddings : nn.Module<Tensor, Tensor?, Tensor>
{
    private readonly TokenEmbedding word_embeddings;
    private readonly TokenEmbedding? token_type_embeddings;
    private readonly GteLayerNorm LayerNorm;

    public GteEmbeddings(GteConfig config, ScalarType dtype, Device device)
        : base("embeddings")
    {
        word_embeddings = new TokenEmbedding("word_embeddings", config.VocabSize, config.HiddenSize, dtype, device);
        token_type_embeddings = config.TypeVocabSize > 0
            ? new TokenEmbedding("token_type_embeddings", config.TypeVocabSize, config.HiddenSize, dtype, device)
            : null;
        LayerNorm = new GteLayerNorm("LayerNorm", config.HiddenSize, config.LayerNormEps, dtype, device);
        RegisterComponents();
    }

    /// <summary>Embeds ids [B, T] with token types [B, T] (null: all 0) → [B, T, hidden].</summary>
    public override Tensor forward(Tensor inputIds, Tensor? tokenTypeIds)
    {
        using var scope = NewDisposeScope();
        var embeddings = word_embeddings.call(inputIds);
        if (token_type_embeddings is not null)
        {
            var types = tokenTypeIds ?? zeros_like(inputIds);
            embeddings = embeddings.add_(token_type_embeddings.call(types));
        }

        return LayerNorm.call(embeddings).MoveToOuterDisposeScope();
    }
}
