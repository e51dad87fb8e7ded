using System.CommandLine;
using Text2Lora.Cli.Commands;
using Text2Lora.Hypernetworks.Checkpoints;
using Text2Lora.Tests.Hypernetworks;
using Text2Lora.Tests.Infrastructure;

namespace Text2Lora.Tests.Cli;

/// <summary><c>t2l export --format reference</c> with a real reference checkpoint.</summary>
[Trait(TestCategory.Key, TestCategory.EndToEnd)]
public sealed class ExportCommandTests
{
    private static int Run(params string[] args)
    {
        var root = new RootCommand { ExportCommand.Create() };
        return root.Parse(["export", .. args]).Invoke();
    }

    [Fact]
    public void Export_writes_a_reference_folder_that_loads_back()
    {
        using var dir = new TempDirectory();
        var output = dir.File("out");

        Assert.Equal(0, Run("--hypernetwork", T2LFixtures.Directory("M_sft"), "--format", "reference", "--output", output));

        using var loaded = HypernetworkCheckpoint.Load(output, FixturePaths.Get("llama", "model"));
        using var original = T2LFixtures.Load("M_sft");
        Assert.Equal(original.Module.Architecture, loaded.Module.Architecture);
    }

    [Fact]
    public void A_non_empty_output_or_an_unknown_format_is_an_error_without_writing()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("busy"));
        File.WriteAllText(dir.File("busy/keep.txt"), "mine");

        Assert.Equal(CliErrors.InputError, Run("--hypernetwork", T2LFixtures.Directory("M_sft"), "--output", dir.File("busy")));
        Assert.NotEqual(0, Run("--hypernetwork", T2LFixtures.Directory("M_sft"), "--format", "native", "--output", dir.File("other")));

        Assert.Equal(["keep.txt"], Directory.GetFileSystemEntries(dir.File("busy")).Select(Path.GetFileName));
        Assert.False(Directory.Exists(dir.File("other")));
    }
}
