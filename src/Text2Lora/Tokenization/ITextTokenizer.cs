namespace Text2Lora.Tokenization;

/// <summary>
/// Text ↔ token ids for a base model, as its Hugging Face tokenizer files define them
/// (SentencePiece <c>tokenizer.model</c> or byte-level BPE <c>tokenizer.json</c>).
/// </summary>
public interface ITextTokenizer
{
    /// <summary>Vocabulary size including added tokens.</summary>
    int VocabularySize { get; }

    /// <summary>Beginning-of-sequence token id, if the model has one.</summary>
    int? BosTokenId { get; }

    /// <summary>End-of-sequence token ids (generation stops on any of them).</summary>
    IReadOnlyList<int> EosTokenIds { get; }

    /// <summary>Padding token id, if the model defines one.</summary>
    int? PadTokenId { get; }

    /// <summary>Encodes <paramref name="text"/>; <paramref name="addSpecialTokens"/> adds BOS (and whatever the tokenizer config adds) as HF's default does.</summary>
    IReadOnlyList<int> Encode(string text, bool addSpecialTokens = true);

    /// <summary>Decodes ids to text; <paramref name="skipSpecialTokens"/> drops BOS/EOS/PAD and other special tokens.</summary>
    string Decode(IEnumerable<int> ids, bool skipSpecialTokens = true);
}
