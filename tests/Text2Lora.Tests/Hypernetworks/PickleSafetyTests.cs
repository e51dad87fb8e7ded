using System.IO.Compression;
using System.Text;
using Text2Lora.Hypernetworks.Checkpoints;
using Text2Lora.IO.Pickle;
using Text2Lora.IO.Safetensors;
using Text2Lora.Tests.Infrastructure;
using Xunit;

namespace Text2Lora.Tests.Hypernetworks;

/// <summary>
/// hypermod.pt is a pickle: loading one must never import or call anything but tensors and ordered dicts. The
/// malicious pickles are written here byte by byte (protocol 2/4 opcodes), wrapped in a torch.save-style zip.
/// </summary>
[Trait(TestCategory.Key, TestCategory.InputErrors)]
public class PickleSafetyTests
{
    [Fact]
    public void Global_os_system_with_reduce_is_refused_before_unpickling()
    {
        // cos\nsystem\n  (GLOBAL os.system), X 'echo pwned', TUPLE1, REDUCE, STOP
        var pickle = Concat([0x80, 0x02], Ascii("cos\nsystem\n"), BinUnicode("echo pwned"), [0x85, (byte)'R', (byte)'.']);
        using var directory = new TempDirectory();
        var path = WriteTorchZip(directory.File("evil.pt"), pickle);

        var error = Assert.Throws<UnsafePickleException>(() => TorchZipCheckpoint.Inspect(path));
        Assert.Equal("os.system", error.Global);
        Assert.Equal(path, error.FilePath);
        Assert.Contains("os.system", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Stack_global_builtins_eval_is_refused()
    {
        // Protocol 4: SHORT_BINUNICODE 'builtins', SHORT_BINUNICODE 'eval', STACK_GLOBAL, ... REDUCE.
        var pickle = Concat([0x80, 0x04], ShortBinUnicode("builtins"), ShortBinUnicode("eval"), [0x93], ShortBinUnicode("__import__('os')"), [0x85, (byte)'R', (byte)'.']);
        using var directory = new TempDirectory();
        var path = WriteTorchZip(directory.File("evil.pt"), pickle);

        var error = Assert.Throws<UnsafePickleException>(() => TorchZipCheckpoint.Inspect(path));
        Assert.Equal("builtins.eval", error.Global);
    }

    [Theory]
    [InlineData((byte)'i')]  // INST
    [InlineData((byte)'o')]  // OBJ
    [InlineData((byte)0x81)] // NEWOBJ
    [InlineData((byte)0x82)] // EXT1
    public void Object_building_opcodes_are_refused(byte opcode)
    {
        var pickle = Concat([0x80, 0x02, (byte)'('], [opcode], Ascii("os\nsystem\n"), [(byte)'.']);
        using var directory = new TempDirectory();
        var path = WriteTorchZip(directory.File("evil.pt"), pickle);

        var error = Assert.Throws<UnsafePickleException>(() => TorchZipCheckpoint.Inspect(path));
        Assert.Null(error.Global);
        Assert.Contains($"0x{opcode:x2}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reduce_on_an_allowlisted_storage_class_is_refused()
    {
        // torch.FloatStorage may only appear inside a persistent id, never be called.
        var pickle = Concat([0x80, 0x02], Ascii("ctorch\nFloatStorage\n"), [(byte)')', (byte)'R', (byte)'.']);
        using var directory = new TempDirectory();
        var path = WriteTorchZip(directory.File("evil.pt"), pickle);

        var error = Assert.Throws<UnsafePickleException>(() => TorchZipCheckpoint.Inspect(path));
        Assert.Equal("torch.FloatStorage", error.Global);
    }

    [Fact]
    public void Loading_a_checkpoint_folder_with_a_malicious_hypermod_pt_throws_the_typed_error()
    {
        // A complete reference checkpoint folder (real args.yaml / adapter_config.json) whose hypermod.pt is hostile.
        using var directory = new TempDirectory();
        var fixture = T2LFixtures.Directory("M_sft");
        File.Copy(Path.Combine(fixture, "args.yaml"), directory.File("args.yaml"));
        File.Copy(Path.Combine(fixture, "adapter_config.json"), directory.File("adapter_config.json"));
        var pickle = Concat([0x80, 0x02], Ascii("cbuiltins\nexec\n"), BinUnicode("import os"), [0x85, (byte)'R', (byte)'.']);
        WriteTorchZip(directory.File("hypermod.pt"), pickle);

        var error = Assert.Throws<UnsafePickleException>(() => HypernetworkCheckpoint.Load(directory.Path, FixturePaths.Get("llama", "model")));
        Assert.Equal("builtins.exec", error.Global);
        Assert.Equal(directory.File("hypermod.pt"), error.FilePath);
    }

    [Theory]
    [MemberData(nameof(T2LFixtures.VariantData), MemberType = typeof(T2LFixtures))]
    public void Reference_checkpoints_pass_and_list_the_same_tensors_as_their_safetensors_copy(string variant)
    {
        var entries = TorchZipCheckpoint.Inspect(Path.Combine(T2LFixtures.Directory(variant), "hypermod.pt"));
        using var copy = SafetensorsFile.Open(Path.Combine(T2LFixtures.Directory(variant), "hypermod.safetensors"));
        Assert.Equal(copy.Keys.Order(StringComparer.Ordinal), entries.Select(e => e.Name).Order(StringComparer.Ordinal));
        foreach (var entry in entries)
        {
            Assert.Equal(copy.GetInfo(entry.Name).Shape, entry.Shape);
            Assert.Equal("FloatStorage", entry.StorageType);
        }
    }

    [Fact]
    public void A_file_that_is_not_a_zip_is_a_format_error()
    {
        using var directory = new TempDirectory();
        var path = directory.File("legacy.pt");
        File.WriteAllBytes(path, [0x80, 0x02, (byte)'}', (byte)'.']);
        var error = Assert.Throws<TorchCheckpointFormatException>(() => TorchZipCheckpoint.Inspect(path));
        Assert.Equal(path, error.FilePath);
    }

    private static string WriteTorchZip(string path, byte[] pickle)
    {
        using var stream = File.Create(path);
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create);
        var stem = Path.GetFileNameWithoutExtension(path);
        using (var entry = zip.CreateEntry($"{stem}/data.pkl", CompressionLevel.NoCompression).Open())
        {
            entry.Write(pickle);
        }

        using (var entry = zip.CreateEntry($"{stem}/byteorder", CompressionLevel.NoCompression).Open())
        {
            entry.Write(Ascii("little"));
        }

        return path;
    }

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    private static byte[] BinUnicode(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return Concat([(byte)'X'], BitConverter.GetBytes(bytes.Length), bytes);
    }

    private static byte[] ShortBinUnicode(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return Concat([0x8c, (byte)bytes.Length], bytes);
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
