using System.Text.Json;
using System.Text.Json.Serialization;

namespace Text2Lora.Lora;

/// <summary>Reads PEFT fields that accept either one integer or a list of integers (e.g. <c>layers_to_transform</c>).</summary>
internal sealed class IntListOrIntJsonConverter : JsonConverter<int[]>
{
    public override int[]? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number:
                return [reader.GetInt32()];
            case JsonTokenType.StartArray:
                var values = new List<int>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    values.Add(reader.GetInt32());
                }

                return values.ToArray();
            default:
                throw new JsonException("expected an integer or a list of integers.");
        }
    }

    public override void Write(Utf8JsonWriter writer, int[] value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var v in value)
        {
            writer.WriteNumberValue(v);
        }

        writer.WriteEndArray();
    }
}
