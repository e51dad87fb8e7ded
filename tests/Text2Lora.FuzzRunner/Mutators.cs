using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Text2Lora.FuzzRunner;

/// <summary>
/// Seeded, structure-aware mutators: each takes a valid file's bytes and returns a plausible corruption of them
/// (a JSON value of the wrong type or a boundary number, a duplicated key, a YAML value, a pickle integer, a zip
/// entry removed or truncated, a safetensors header field) or, one time in five, raw byte damage.
/// </summary>
internal static class Mutators
{
    private static readonly long[] BoundaryIntegers =
    [
        0, 1, -1, 2, 3, 7, 8, 255, 256, 65535, 65536, int.MaxValue, int.MinValue, (long)int.MaxValue + 1, uint.MaxValue,
        1L << 40, long.MaxValue, long.MinValue, 100_000_000, -100_000_000,
    ];

    /// <summary>Raw damage: bit flips, byte runs overwritten, inserted or deleted, truncation, a boundary integer written.</summary>
    public static byte[] Bytes(Random random, byte[] data)
    {
        var list = new List<byte>(data);
        var count = random.Next(1, 4);
        for (var i = 0; i < count; i++)
        {
            if (list.Count == 0)
            {
                list.Add((byte)random.Next(256));
                continue;
            }

            var at = random.Next(list.Count);
            switch (random.Next(7))
            {
                case 0:
                    list[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    list[at] = (byte)random.Next(256);
                    break;
                case 2:
                    list.InsertRange(at, Enumerable.Range(0, random.Next(1, 16)).Select(_ => (byte)random.Next(256)));
                    break;
                case 3:
                    list.RemoveRange(at, Math.Min(list.Count - at, random.Next(1, 32)));
                    break;
                case 4:
                    list.RemoveRange(at, list.Count - at);
                    break;
                case 5:
                    var value = BitConverter.GetBytes(BoundaryIntegers[random.Next(BoundaryIntegers.Length)]);
                    for (var k = 0; k < 8 && at + k < list.Count; k++)
                    {
                        list[at + k] = value[k];
                    }

                    break;
                default:
                    // Copy a run from elsewhere in the file over this position (splicing valid-looking structure).
                    var from = random.Next(list.Count);
                    var length = Math.Min(random.Next(1, 64), Math.Min(list.Count - from, list.Count - at));
                    var run = list.GetRange(from, length);
                    for (var k = 0; k < length; k++)
                    {
                        list[at + k] = run[k];
                    }

                    break;
            }
        }

        return [.. list];
    }

    /// <summary>A JSON document with 1–3 structural mutations; falls back to byte damage one time in five.</summary>
    public static byte[] Json(Random random, byte[] data)
    {
        if (random.Next(5) == 0)
        {
            return Bytes(random, data);
        }

        JsonNode? root;
        try
        {
            root = JsonNode.Parse(data, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException)
        {
            return Bytes(random, data);
        }

        if (root is null)
        {
            return Bytes(random, data);
        }

        var duplicate = false;
        var count = random.Next(1, 4);
        for (var i = 0; i < count; i++)
        {
            if (random.Next(10) == 0)
            {
                duplicate = true;
                continue;
            }

            root = root is null ? RandomValue(random, null) : MutateJsonTree(random, root);
        }

        string text;
        try
        {
            text = root?.ToJsonString() ?? "null";
        }
        catch (ArgumentException)
        {
            // A mutation produced a value JSON cannot hold (e.g. an infinite number): damage bytes instead.
            return Bytes(random, data);
        }

        if (duplicate && root is JsonObject obj && obj.Count > 0)
        {
            // System.Text.Json cannot build a duplicate key; insert one textually: "key": <other value>,
            var key = obj.ElementAt(random.Next(obj.Count)).Key;
            text = "{" + JsonSerializer.Serialize(key) + ": " + RandomValue(random, null).ToJsonString() + "," + text[1..];
        }

        return Encoding.UTF8.GetBytes(text);
    }

    /// <summary>Mutates one randomly chosen node of <paramref name="root"/>; returns the (possibly replaced) root.</summary>
    public static JsonNode? MutateJsonTree(Random random, JsonNode root)
    {
        var nodes = new List<(JsonNode? Parent, string? Key, int Index, JsonNode? Node)> { (null, null, -1, root) };
        Collect(root, nodes);
        var (parent, key, index, node) = nodes[random.Next(nodes.Count)];
        var replacement = random.Next(4) == 0 ? null : RandomValue(random, node);
        var remove = random.Next(6) == 0;
        switch (parent)
        {
            case null:
                return replacement ?? root;
            case JsonObject obj when remove:
                obj.Remove(key!);
                break;
            case JsonObject obj:
                obj[key!] = replacement;
                break;
            case JsonArray array when remove:
                array.RemoveAt(index);
                break;
            case JsonArray array when random.Next(4) == 0:
                array.Insert(index, replacement);
                break;
            case JsonArray array:
                array[index] = replacement;
                break;
        }

        return root;
    }

    private static void Collect(JsonNode node, List<(JsonNode? Parent, string? Key, int Index, JsonNode? Node)> nodes)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    nodes.Add((obj, key, -1, value));
                    if (value is not null)
                    {
                        Collect(value, nodes);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    nodes.Add((array, null, i, array[i]));
                    if (array[i] is { } child)
                    {
                        Collect(child, nodes);
                    }
                }

                break;
        }
    }

    /// <summary>A value that is plausible for <paramref name="original"/> (a nearby or boundary number, a twisted string) or of another type.</summary>
    private static JsonNode RandomValue(Random random, JsonNode? original)
    {
        if (original is JsonValue value && random.Next(2) == 0)
        {
            if (value.TryGetValue(out double number))
            {
                return random.Next(4) switch
                {
                    0 => JsonValue.Create(-number),
                    1 => JsonValue.Create(double.IsFinite(number * Math.Pow(2, 39)) ? number * Math.Pow(2, random.Next(1, 40)) : -number),
                    2 => JsonValue.Create(number + random.Next(-2, 3)),
                    _ => JsonValue.Create(BoundaryIntegers[random.Next(BoundaryIntegers.Length)]),
                };
            }

            if (value.TryGetValue(out string? text))
            {
                return random.Next(5) switch
                {
                    0 => JsonValue.Create(""),
                    1 => JsonValue.Create(text + "(["),
                    2 => JsonValue.Create(new string('a', random.Next(1, 5000))),
                    3 => JsonValue.Create(text.Length > 1 ? text[..random.Next(text.Length)] : "\0"),
                    _ => JsonValue.Create(text.ToUpperInvariant() + "{0}{1}*+?"),
                };
            }
        }

        return random.Next(12) switch
        {
            0 => JsonValue.Create(true),
            1 => JsonValue.Create("x"),
            2 => JsonValue.Create(BoundaryIntegers[random.Next(BoundaryIntegers.Length)]),
            3 => JsonValue.Create(1e308),
            4 => JsonValue.Create(-0.5),
            5 => new JsonArray(),
            6 => new JsonObject(),
            7 => new JsonArray(JsonValue.Create(1), JsonValue.Create("a"), null),
            8 => new JsonObject { ["a"] = JsonValue.Create(1) },
            9 => JsonValue.Create(0),
            10 => JsonValue.Create(2.5),
            _ => JsonValue.Create(new string('[', 3)),
        };
    }

    /// <summary>A YAML file with a line's value replaced, a line deleted, duplicated or re-indented, or byte damage.</summary>
    public static byte[] Yaml(Random random, byte[] data)
    {
        if (random.Next(5) == 0)
        {
            return Bytes(random, data);
        }

        var lines = Encoding.UTF8.GetString(data).Split('\n').ToList();
        var count = random.Next(1, 4);
        string[] values = ["", "null", "-1", "0", "99999999999999999999", "2147483648", "abc", "[1, 2]", "{a: 1}", "&a x", "*b", "true", "1.5e300", "'", "\"unterminated", "- item", "~", "!!binary AAAA", new string('x', 3000)];
        for (var i = 0; i < count && lines.Count > 0; i++)
        {
            var at = random.Next(lines.Count);
            switch (random.Next(6))
            {
                case 0:
                case 1:
                case 2:
                    var colon = lines[at].IndexOf(':', StringComparison.Ordinal);
                    lines[at] = colon >= 0 ? lines[at][..(colon + 1)] + " " + values[random.Next(values.Length)] : values[random.Next(values.Length)];
                    break;
                case 3:
                    lines.RemoveAt(at);
                    break;
                case 4:
                    lines.Insert(at, lines[random.Next(lines.Count)]);
                    break;
                default:
                    lines[at] = new string(' ', random.Next(1, 6)) + lines[at];
                    break;
            }
        }

        return Encoding.UTF8.GetBytes(string.Join('\n', lines));
    }

    /// <summary>A JSONL file: one line mutated as JSON, a line replaced by garbage, removed or duplicated.</summary>
    public static byte[] JsonLines(Random random, byte[] data)
    {
        var lines = Encoding.UTF8.GetString(data).Split('\n').ToList();
        if (lines.Count == 0 || random.Next(8) == 0)
        {
            return Bytes(random, data);
        }

        var at = random.Next(lines.Count);
        switch (random.Next(5))
        {
            case 0:
                lines[at] = Encoding.UTF8.GetString(Bytes(random, Encoding.UTF8.GetBytes(lines[at])));
                break;
            case 1:
                lines.RemoveAt(at);
                break;
            case 2:
                lines.Insert(at, lines[random.Next(lines.Count)]);
                break;
            default:
                lines[at] = Encoding.UTF8.GetString(Json(random, Encoding.UTF8.GetBytes(lines[at])));
                break;
        }

        return Encoding.UTF8.GetBytes(string.Join('\n', lines));
    }

    /// <summary>A safetensors file: its JSON header mutated and re-framed with a correct length, the length prefix changed, or byte damage.</summary>
    public static byte[] Safetensors(Random random, byte[] data)
    {
        if (data.Length < 8 || random.Next(4) == 0)
        {
            return Bytes(random, data);
        }

        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(data);
        if (headerLength > (ulong)(data.Length - 8))
        {
            return Bytes(random, data);
        }

        var header = data.AsSpan(8, (int)headerLength).ToArray();
        var body = data.AsSpan(8 + (int)headerLength).ToArray();
        if (random.Next(6) == 0)
        {
            var copy = (byte[])data.Clone();
            BinaryPrimitives.WriteUInt64LittleEndian(copy, (ulong)BoundaryIntegers[random.Next(BoundaryIntegers.Length)]);
            return copy;
        }

        var mutated = Json(random, header);
        if (random.Next(5) == 0)
        {
            body = body.AsSpan(0, random.Next(body.Length + 1)).ToArray();
        }

        var result = new byte[8 + mutated.Length + body.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(result, (ulong)mutated.Length);
        mutated.CopyTo(result, 8);
        body.CopyTo(result, 8 + mutated.Length);
        return result;
    }

    /// <summary>
    /// A <c>torch.save</c> zip: integers in the pickle (BININT operands: offsets, shapes, strides, element counts)
    /// set to boundary values, pickle bytes damaged, an entry removed, renamed or truncated, or the zip itself damaged.
    /// </summary>
    public static byte[] TorchZip(Random random, byte[] data)
    {
        if (random.Next(5) == 0)
        {
            return Bytes(random, data);
        }

        var entries = new List<(string Name, byte[] Bytes)>();
        using (var archive = new ZipArchive(new MemoryStream(data), ZipArchiveMode.Read))
        {
            foreach (var entry in archive.Entries)
            {
                using var stream = entry.Open();
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                entries.Add((entry.FullName, buffer.ToArray()));
            }
        }

        var pickleIndex = entries.FindIndex(e => e.Name.EndsWith("data.pkl", StringComparison.Ordinal));
        var storageIndexes = Enumerable.Range(0, entries.Count).Where(i => entries[i].Name.Contains("/data/", StringComparison.Ordinal)).ToList();
        switch (random.Next(7))
        {
            case 0:
            case 1:
            case 2:
                var pickle = entries[pickleIndex].Bytes;
                var operands = Enumerable.Range(0, pickle.Length - 4).Where(i => pickle[i] == (byte)'J').ToList();
                if (operands.Count > 0)
                {
                    var at = operands[random.Next(operands.Count)] + 1;
                    var current = BinaryPrimitives.ReadInt32LittleEndian(pickle.AsSpan(at));
                    var next = random.Next(3) switch
                    {
                        0 => (int)Math.Clamp(BoundaryIntegers[random.Next(BoundaryIntegers.Length)], int.MinValue, int.MaxValue),
                        1 => current + random.Next(-3, 4),
                        _ => current * random.Next(2, 1000),
                    };
                    BinaryPrimitives.WriteInt32LittleEndian(pickle.AsSpan(at), next);
                }

                break;
            case 3:
                entries[pickleIndex] = (entries[pickleIndex].Name, Bytes(random, entries[pickleIndex].Bytes));
                break;
            case 4 when storageIndexes.Count > 0:
                entries.RemoveAt(storageIndexes[random.Next(storageIndexes.Count)]);
                break;
            case 5 when storageIndexes.Count > 0:
                var victim = storageIndexes[random.Next(storageIndexes.Count)];
                entries[victim] = (entries[victim].Name, entries[victim].Bytes.AsSpan(0, random.Next(entries[victim].Bytes.Length)).ToArray());
                break;
            default:
                if (storageIndexes.Count > 0)
                {
                    var renamed = storageIndexes[random.Next(storageIndexes.Count)];
                    entries[renamed] = (entries[renamed].Name + random.Next(10).ToString(CultureInfo.InvariantCulture), entries[renamed].Bytes);
                }

                break;
        }

        using var output = new MemoryStream();
        using (var archive = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, bytes) in entries)
            {
                using var stream = archive.CreateEntry(name, CompressionLevel.NoCompression).Open();
                stream.Write(bytes);
            }
        }

        return output.ToArray();
    }

    /// <summary>
    /// A one-entry-per-line file (gte's <c>vocab.txt</c>): lines removed, duplicated, swapped, emptied, given special-token
    /// names, long or odd text (spaces, CR, NUL, lone surrogates written as UTF-8 replacement), runs of new lines appended
    /// (pushing ids past the model's vocabulary), the file truncated; byte damage one time in five.
    /// </summary>
    public static byte[] Lines(Random random, byte[] data)
    {
        if (random.Next(5) == 0)
        {
            return Bytes(random, data);
        }

        var lines = Encoding.UTF8.GetString(data).Split('\n').ToList();
        string[] odd = ["", " ", "[UNK]", "[CLS]", "[SEP]", "[PAD]", "[MASK]", "##", "##a", "a b", "\r", "\0", "\t##x", "\uFFFD", new string('x', 5000), "the"];
        var count = random.Next(1, 4);
        for (var i = 0; i < count && lines.Count > 0; i++)
        {
            var at = random.Next(lines.Count);
            switch (random.Next(7))
            {
                case 0:
                    lines.RemoveAt(at);
                    break;
                case 1:
                    lines.Insert(at, lines[random.Next(lines.Count)]);
                    break;
                case 2:
                    var other = random.Next(lines.Count);
                    (lines[at], lines[other]) = (lines[other], lines[at]);
                    break;
                case 3:
                    lines[at] = odd[random.Next(odd.Length)];
                    break;
                case 4:
                    lines.AddRange(Enumerable.Range(0, random.Next(1, 200)).Select(k => $"extra{k}"));
                    break;
                case 5:
                    lines.RemoveRange(at, lines.Count - at);
                    break;
                default:
                    lines[at] += "\r";
                    break;
            }
        }

        return Encoding.UTF8.GetBytes(string.Join('\n', lines));
    }
}
