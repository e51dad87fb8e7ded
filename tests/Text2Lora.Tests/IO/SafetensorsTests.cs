using Text2Lora.IO.Safetensors;
using Text2Lora.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace Text2Lora.Tests.IO;

[Trait(TestCategory.Key, TestCategory.Behaviour)]
public sealed class SafetensorsTests
{
    private static readonly string LlamaWeights = FixturePaths.Get("llama", "model", "model.safetensors");

    [Fact]
    public void Reads_hf_checkpoint_names_shapes_values_and_metadata()
    {
        using var file = SafetensorsFile.Open(LlamaWeights);

        // transformers' save_pretrained writes {"format": "pt"}.
        Assert.Equal("pt", file.Metadata["format"]);
        var info = file.GetInfo("model.layers.0.self_attn.k_proj.weight");
        Assert.Equal(new long[] { 32, 64 }, info.Shape); // 2 KV heads × head_dim 16, hidden 64
        Assert.Equal(ScalarType.Float32, info.ScalarType);
        Assert.Equal(21, file.Tensors.Count); // embed, lm_head, norm + 2 layers × (2 norms + q,k,v,o + gate,up,down)

        using var tensor = file.ReadTensor("model.layers.0.self_attn.k_proj.weight");
        var expected = RawSafetensors.ReadFloat32(LlamaWeights, "model.layers.0.self_attn.k_proj.weight");
        Assert.Equal(expected, tensor.data<float>().ToArray());
    }

    [Fact]
    public void Reads_with_dtype_conversion()
    {
        using var file = SafetensorsFile.Open(LlamaWeights);
        using var fp32 = file.ReadTensor("model.norm.weight");
        using var bf16 = file.ReadTensor("model.norm.weight", dtype: ScalarType.BFloat16);
        Assert.Equal(ScalarType.BFloat16, bf16.dtype);
        // bf16 keeps 8 mantissa bits: relative error ≤ 2^-8.
        Assert.True(bf16.@float().allclose(fp32, rtol: 1.0 / 256, atol: 0));
    }

    public static TheoryData<ScalarType> AllDTypes => new()
    {
        ScalarType.Float64, ScalarType.Float32, ScalarType.Float16, ScalarType.BFloat16,
        ScalarType.Int64, ScalarType.Int32, ScalarType.Int16, ScalarType.Int8, ScalarType.Byte, ScalarType.Bool,
    };

    [Theory]
    [MemberData(nameof(AllDTypes))]
    public void Round_trips_every_dtype_bit_exactly(ScalarType dtype)
    {
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        var generator = new Generator(seed: 7);
        var source = (randn(new long[] { 3, 5 }, generator: generator) * 50).to_type(dtype);
        var scalar = tensor(3.5).to_type(dtype);
        var empty = zeros(new long[] { 0, 4 }, dtype);
        var path = dir.File("t.safetensors");

        SafetensorsWriter.Write(path, [new("b.matrix", source), new("a.scalar", scalar), new("c.empty", empty)], new Dictionary<string, string> { ["k"] = "v" });

        using var file = SafetensorsFile.Open(path);
        Assert.Equal("v", file.Metadata["k"]);
        Assert.Equal(["a.scalar", "b.matrix", "c.empty"], file.Keys);
        TensorAssert.BitEqual(source, file.ReadTensor("b.matrix"));
        Assert.Empty(file.ReadTensor("a.scalar").shape);
        TensorAssert.BitEqual(scalar, file.ReadTensor("a.scalar"));
        Assert.Equal(new long[] { 0, 4 }, file.ReadTensor("c.empty").shape);
    }

    [Fact]
    public void Tensors_at_unaligned_offsets_read_in_any_order_and_reads_after_dispose_throw()
    {
        // Odd-sized tensors put every later tensor at an offset that is not page- (or even 4-byte-) aligned; each read
        // maps just that tensor's bytes.
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        var tensors = Enumerable.Range(0, 6).Select(i => (Name: $"t{i}", Value: arange(1000 + (i * 777), dtype: ScalarType.Int8) + (sbyte)i)).ToList();
        tensors.Add(("big", arange(3 * 4096 + 5, dtype: ScalarType.Float32)));
        SafetensorsWriter.Write(dir.File("u.safetensors"), tensors.Select(t => KeyValuePair.Create(t.Name, t.Value)).ToList());

        var file = SafetensorsFile.Open(dir.File("u.safetensors"));
        foreach (var (name, value) in Enumerable.Reverse(tensors))
        {
            TensorAssert.BitEqual(value, file.ReadTensor(name));
        }

        file.Dispose();
        Assert.Throws<ObjectDisposedException>(() => file.ReadTensor("big"));
    }

    [Fact]
    public void Writes_non_contiguous_tensors_in_logical_order()
    {
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        var transposed = arange(6, dtype: ScalarType.Float32).reshape(2, 3).t();
        SafetensorsWriter.Write(dir.File("t.safetensors"), [new("x", transposed)]);
        using var file = SafetensorsFile.Open(dir.File("t.safetensors"));
        Assert.Equal(new float[] { 0, 3, 1, 4, 2, 5 }, file.ReadTensor("x").data<float>().ToArray());
    }

    [Fact]
    public void Write_is_atomic_a_failed_write_keeps_the_previous_file()
    {
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        var path = dir.File("t.safetensors");
        SafetensorsWriter.Write(path, [new("x", ones(4))]);
        var before = File.ReadAllBytes(path);

        // A complex tensor has no safetensors dtype: the writer fails after it started writing the temp file.
        Assert.ThrowsAny<NotSupportedException>(() =>
            SafetensorsWriter.Write(path, [new("x", ones(4)), new("y", complex(ones(2), ones(2)))]));

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(dir.Path)); // no stray temp file
    }

    public static TheoryData<string, string, byte[], string> MalformedHeaders => new()
    {
        { "invalid JSON", "{\"a\": {\"dtype\": \"F32\",", new byte[4], "not valid UTF-8 JSON" },
        { "unknown dtype", "{\"a\":{\"dtype\":\"F7\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4], "unknown or unsupported dtype 'F7'" },
        { "byte count mismatch", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", new byte[4], "needs 8 bytes but data_offsets span 4" },
        { "offsets outside data", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[4], "outside the 4-byte data area" },
        { "overlap", "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8], "overlaps" },
        { "gap", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8], "leaving a gap" },
        { "duplicate names", "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8], "appears more than once" },
        { "reversed offsets", "{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,0]}}", new byte[4], "end before they begin" },
        { "negative dim", "{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", new byte[4], "non-negative integers" },
        { "shape overflow", "{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,4]}}", new byte[4], "overflows" },
        { "metadata not strings", "{\"__metadata__\":{\"x\":1}}", [], "'__metadata__.x' must be a string" },
        { "not an object", "[1, 2, 3]", [], "does not start with a JSON object" },
        { "trailing unclaimed data", "{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]}}", new byte[5], "cover 1 bytes but the data area holds 5" },
    };

    [Theory]
    [MemberData(nameof(MalformedHeaders))]
    public void Malformed_headers_give_a_typed_error_naming_file_and_problem(string label, string header, byte[] data, string expectedProblem)
    {
        using var dir = new TempDirectory();
        var path = dir.File(label.Replace(' ', '_') + ".safetensors");
        RawSafetensors.WriteRaw(path, header, data);

        var ex = Assert.Throws<SafetensorsFormatException>(() => SafetensorsFile.Open(path).Dispose());
        Assert.Equal(path, ex.FilePath);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains(expectedProblem, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Header_length_larger_than_file_is_refused_before_allocating()
    {
        using var dir = new TempDirectory();
        var path = dir.File("huge.safetensors");
        RawSafetensors.WriteRaw(path, "{}", [], declaredHeaderLength: ulong.MaxValue / 2);
        var ex = Assert.Throws<SafetensorsFormatException>(() => SafetensorsFile.Open(path).Dispose());
        Assert.Contains("exceeds the", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Header_length_above_the_cap_is_refused()
    {
        using var dir = new TempDirectory();
        var path = dir.File("capped.safetensors");
        // A real 100 MB+1 header would be slow to write; a sparse file of that size is instant.
        using (var stream = File.Create(path))
        {
            stream.Write(BitConverter.GetBytes((ulong)SafetensorsHeader.MaxHeaderBytes + 1));
            stream.SetLength(8 + SafetensorsHeader.MaxHeaderBytes + 1);
        }

        var ex = Assert.Throws<SafetensorsFormatException>(() => SafetensorsFile.Open(path).Dispose());
        Assert.Contains("exceeds the limit", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Files_shorter_than_the_prefix_are_refused()
    {
        using var dir = new TempDirectory();
        var path = dir.File("tiny.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);
        Assert.Throws<SafetensorsFormatException>(() => SafetensorsFile.Open(path).Dispose());
    }

    [Fact]
    public void Randomly_truncated_or_bit_flipped_files_only_ever_raise_typed_errors()
    {
        // Fuzz the real adapter fixture: every outcome must be either a successful read of all tensors or
        // a SafetensorsFormatException; anything else (crash, other exception type, hang) fails the test.
        var original = File.ReadAllBytes(FixturePaths.Get("llama", "lora_all", "adapter_model.safetensors"));
        var random = new Random(20261128);
        using var dir = new TempDirectory();
        var (ok, rejected) = (0, 0);
        for (var trial = 0; trial < 400; trial++)
        {
            var bytes = (byte[])original.Clone();
            if (trial % 2 == 0)
            {
                bytes = bytes[..random.Next(0, bytes.Length)];
            }
            else
            {
                var headerEnd = 8 + (int)BitConverter.ToUInt64(original, 0);
                for (var flips = random.Next(1, 4); flips > 0; flips--)
                {
                    // Bias the flips towards the prefix and header, where parsing happens.
                    var position = random.Next(0, random.Next(2) == 0 ? headerEnd : bytes.Length);
                    bytes[position] ^= (byte)(1 << random.Next(8));
                }
            }

            var path = dir.File($"fuzz{trial}.safetensors");
            File.WriteAllBytes(path, bytes);
            try
            {
                using var file = SafetensorsFile.Open(path);
                foreach (var name in file.Keys)
                {
                    file.ReadTensor(name).Dispose();
                }

                ok++;
            }
            catch (SafetensorsFormatException)
            {
                rejected++;
            }
        }

        Assert.True(rejected > 200, $"only {rejected} of 400 corrupted files were rejected");
        Assert.True(ok > 0, "bit flips in tensor data should still read");
    }

    [Fact]
    public void Sharded_checkpoint_reads_through_the_index()
    {
        using var dir = new TempDirectory();
        using var scope = NewDisposeScope();
        SafetensorsWriter.Write(dir.File("model-00001-of-00002.safetensors"), [new("a", ones(2)), new("b", zeros(3))]);
        SafetensorsWriter.Write(dir.File("model-00002-of-00002.safetensors"), [new("c", full(4, 2f))]);
        File.WriteAllText(dir.File(SafetensorsCheckpoint.IndexFileName),
            """{"metadata": {"total_size": 28}, "weight_map": {"a": "model-00001-of-00002.safetensors", "b": "model-00001-of-00002.safetensors", "c": "model-00002-of-00002.safetensors"}}""");

        using var checkpoint = SafetensorsCheckpoint.Open(dir.Path);
        Assert.Equal(3, checkpoint.Keys.Count);
        Assert.Equal(new float[] { 2, 2, 2, 2 }, checkpoint.ReadTensor("c").data<float>().ToArray());
        Assert.Equal(new long[] { 3 }, checkpoint.GetInfo("b").Shape);
    }

    [Fact]
    public void Sharded_checkpoint_with_missing_shard_names_the_shard()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File(SafetensorsCheckpoint.IndexFileName), """{"weight_map": {"a": "model-00009.safetensors"}}""");
        using var checkpoint = SafetensorsCheckpoint.Open(dir.Path);
        var ex = Assert.Throws<FileNotFoundException>(() => checkpoint.ReadTensor("a"));
        Assert.Contains("model-00009.safetensors", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sharded_index_with_bad_json_is_a_typed_error()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File(SafetensorsCheckpoint.IndexFileName), "{\"weight_map\": ");
        var ex = Assert.Throws<SafetensorsFormatException>(() => SafetensorsCheckpoint.Open(dir.Path));
        Assert.EndsWith(SafetensorsCheckpoint.IndexFileName, ex.FilePath, StringComparison.Ordinal);
    }
}
