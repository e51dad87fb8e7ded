using Text2Lora.IO.Safetensors;
using Text2Lora.Tests.Infrastructure;
using static TorchSharp.torch;

namespace Text2Lora.Tests.IO;

/// <summary>
/// <see cref="SafetensorsFile.ReadInto"/>: a tensor goes straight into a preallocated one, chunk by chunk, converted
/// on the way, and the streaming writer produces the same file the in-memory writer does.
/// </summary>
public sealed class SafetensorsChunkedReadTests
{
    // Two full chunks and a ragged tail of fp32 elements, so chunk boundaries and the last partial chunk are covered.
    private static readonly long Elements = (2 * SafetensorsFile.ChunkBytes / 4) + 1001;

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.BFloat16)]
    [InlineData(ScalarType.Float16)]
    public void Reads_into_a_preallocated_tensor_across_chunks_with_conversion(ScalarType destinationType)
    {
        using var dir = new TempDirectory();
        var path = dir.File("t.safetensors");
        using var original = randn(Elements / 7 + 1, 7).mul_(3);
        SafetensorsWriter.Write(path, [KeyValuePair.Create("w", original)]);
        using var file = SafetensorsFile.Open(path);
        using var destination = empty(original.shape, destinationType);

        file.ReadInto("w", destination);

        // Expected: libtorch's own rounding of the whole tensor, computed without the reader.
        using var expected = original.to_type(destinationType);
        Assert.True(destination.eq(expected).all().item<bool>());
    }

    [Fact]
    public void A_destination_of_another_shape_is_refused_and_left_untouched()
    {
        using var dir = new TempDirectory();
        var path = dir.File("t.safetensors");
        using var original = ones(4, 6);
        SafetensorsWriter.Write(path, [KeyValuePair.Create("w", original)]);
        using var file = SafetensorsFile.Open(path);
        using var destination = zeros(6, 4);

        var error = Assert.Throws<ArgumentException>(() => file.ReadInto("w", destination));
        Assert.Contains("'w'", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, destination.abs().sum().item<float>());
    }

    [Fact]
    public void The_streaming_writer_writes_the_same_bytes_and_disposes_each_tensor()
    {
        using var dir = new TempDirectory();
        using var a = randn(3, 5).to_type(ScalarType.BFloat16);
        using var b = arange(10, ScalarType.Float32);
        SafetensorsWriter.Write(dir.File("memory.safetensors"), [KeyValuePair.Create("b", b), KeyValuePair.Create("a", a)]);
        var produced = new List<Tensor>();
        SafetensorsWriter.Write(
            dir.File("streamed.safetensors"),
            [new SafetensorsTensorLayout("b", ScalarType.Float32, [10]), new SafetensorsTensorLayout("a", ScalarType.BFloat16, [3, 5])],
            name =>
            {
                var t = (name == "a" ? a : b).clone();
                produced.Add(t);
                return t;
            });

        Assert.Equal(File.ReadAllBytes(dir.File("memory.safetensors")), File.ReadAllBytes(dir.File("streamed.safetensors")));
        Assert.Equal(2, produced.Count);
        Assert.All(produced, t => Assert.True(t.IsInvalid));
    }

    [Fact]
    public void The_streaming_writer_refuses_a_tensor_that_does_not_match_its_layout()
    {
        using var dir = new TempDirectory();
        var error = Assert.Throws<ArgumentException>(() => SafetensorsWriter.Write(
            dir.File("x.safetensors"), [new SafetensorsTensorLayout("a", ScalarType.Float32, [4])], _ => zeros(5)));
        Assert.Contains("'a'", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("x.safetensors")));
    }
}
