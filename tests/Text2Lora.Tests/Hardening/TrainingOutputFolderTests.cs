using Text2Lora.IO;
using Text2Lora.Tests.Infrastructure;
using Text2Lora.Training.Loop;

namespace Text2Lora.Tests.Hardening;

/// <summary>Re-running training into a folder that holds a run never loses it (issue 14: it was silently overwritten).</summary>
[Trait(TestCategory.Key, TestCategory.InputErrors)]
public sealed class TrainingOutputFolderTests
{
    [Fact]
    public void A_folder_holding_a_run_is_refused_without_resume_or_overwrite_and_left_intact()
    {
        using var directory = new TempDirectory();
        var run = Directory.CreateDirectory(directory.File("run")).FullName;
        Directory.CreateDirectory(Path.Combine(run, "checkpoint"));
        File.WriteAllText(Path.Combine(run, "metrics.csv"), "step,loss\n1,2.0\n");

        var error = Assert.Throws<OutputFolderException>(() => TrainingOutputFolder.Prepare(run, resume: false, overwrite: false));

        Assert.Contains("--resume", error.Message, StringComparison.Ordinal);
        Assert.Contains("--overwrite", error.Message, StringComparison.Ordinal);
        Assert.Equal("step,loss\n1,2.0\n", File.ReadAllText(Path.Combine(run, "metrics.csv")));
    }

    [Fact]
    public void Resume_keeps_the_folder_as_it_is()
    {
        using var directory = new TempDirectory();
        var run = Directory.CreateDirectory(directory.File("run")).FullName;
        File.WriteAllText(Path.Combine(run, "metrics.csv"), "x");

        Assert.Null(TrainingOutputFolder.Prepare(run, resume: true, overwrite: false));
        Assert.Equal("x", File.ReadAllText(Path.Combine(run, "metrics.csv")));
    }

    [Fact]
    public void Overwrite_moves_the_previous_run_aside_instead_of_deleting_it()
    {
        using var directory = new TempDirectory();
        var run = Directory.CreateDirectory(directory.File("run")).FullName;
        File.WriteAllText(Path.Combine(run, "metrics.csv"), "old run");

        var movedTo = TrainingOutputFolder.Prepare(run, resume: false, overwrite: true);

        Assert.NotNull(movedTo);
        Assert.Equal("old run", File.ReadAllText(Path.Combine(movedTo, "metrics.csv")));
        Assert.True(Directory.Exists(run));
        Assert.Empty(Directory.EnumerateFileSystemEntries(run));
    }

    [Fact]
    public void An_output_naming_an_existing_file_is_refused()
    {
        using var directory = new TempDirectory();
        File.WriteAllText(directory.File("file"), "keep me");

        Assert.Throws<OutputFolderException>(() => TrainingOutputFolder.Prepare(directory.File("file"), resume: false, overwrite: false));
        Assert.Equal("keep me", File.ReadAllText(directory.File("file")));
    }

    [Fact]
    public void An_empty_or_missing_folder_is_accepted_and_created()
    {
        using var directory = new TempDirectory();
        Assert.Null(TrainingOutputFolder.Prepare(directory.File("new/run"), resume: false, overwrite: false));
        Assert.True(Directory.Exists(directory.File("new/run")));
    }
}
