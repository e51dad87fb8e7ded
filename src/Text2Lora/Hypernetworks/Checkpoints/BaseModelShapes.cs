using System.Text.Json;
using Text2Lora.Lora;

namespace Text2Lora.Hypernetworks.Checkpoints;

/// <summary>
/// The LoRA-adaptable linear layers of a Llama-family model, read from its <c>config.json</c> alone (no weights):
/// q/k/v/o under <c>self_attn</c>, gate/up/down under <c>mlp</c>. Deliberately minimal (hidden_size,
/// num_attention_heads, num_key_value_heads, head_dim, intermediate_size, num_hidden_layers) so the full
/// model config can replace it in one place.
/// </summary>
internal static class BaseModelShapes
{
    /// <summary>Reads <paramref name="configPath"/> and describes all seven projections.</summary>
    /// <exception cref="HypernetworkCheckpointException">A field is missing or not a positive integer.</exception>
    public static LoraTargetDescription FromConfig(string configPath)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(configPath));
            root = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new HypernetworkCheckpointException(configPath, null, $"invalid JSON: {ex.Message}", ex);
        }

        var hidden = Require(root, "hidden_size", configPath);
        var heads = Require(root, "num_attention_heads", configPath);
        var kvHeads = Optional(root, "num_key_value_heads", configPath) ?? heads;
        var headDim = Optional(root, "head_dim", configPath) ?? hidden / heads;
        var intermediate = Require(root, "intermediate_size", configPath);
        var layers = Require(root, "num_hidden_layers", configPath);
        const string Attention = "model.layers.{0}.self_attn.";
        const string Mlp = "model.layers.{0}.mlp.";
        return new LoraTargetDescription(layers,
        [
            new("q_proj", Attention + "q_proj", hidden, heads * headDim),
            new("k_proj", Attention + "k_proj", hidden, kvHeads * headDim),
            new("v_proj", Attention + "v_proj", hidden, kvHeads * headDim),
            new("o_proj", Attention + "o_proj", heads * headDim, hidden),
            new("gate_proj", Mlp + "gate_proj", hidden, intermediate),
            new("up_proj", Mlp + "up_proj", hidden, intermediate),
            new("down_proj", Mlp + "down_proj", intermediate, hidden),
        ]);
    }

    private static int Require(JsonElement root, string field, string path) =>
        Optional(root, field, path) ?? throw new HypernetworkCheckpointException(path, field, $"the base model config has no '{field}'.");

    private static int? Optional(JsonElement root, string field, string path)
    {
        if (!root.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number > 0
            ? number
            : throw new HypernetworkCheckpointException(path, field, $"'{field}' must be a positive integer, got {value.GetRawText()}.");
    }
}
