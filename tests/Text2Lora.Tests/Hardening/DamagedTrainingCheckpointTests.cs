using Text2Lora.Tests.Infrastructure;
using Text2Lora.Training.Checkpoints;
using static TorchSharp.torch;

namespace Text2Lora.Tests.Hardening;

/// <summary>
/// Damaged <c>optimizer.bin</c> / <c>trainer_state.json</c> on resume are typed errors naming the file and the way
/// out (they used to surface as stack traces), and stale temp folders of an interrupted save are removed by the
/// next complete checkpoint.
/// </summary>
[Collection(nameof(Text2Lora.Tests.Training.GlobalTorchRngCollection))] // builds modules with the global generator
[Trait(TestCategory.Key, TestCategory.InputErrors)]
public sealed class DamagedTrainingCheckpointTests
{
    private static readonly TrainerState State = new(3, 10, 42, [1UL, 2UL, 3UL, 4UL], "", 1.5, null, null, 0);

    [Fact]
    public void A_truncated_optimizer_file_names_the_file_and_keeps_the_checkpoint()
    {
        using var directory = new TempDirectory();
        using var module = nn.Linear(3, 2);
        using var optimizer = SaveAfterOneStep(directory.Path, module);
        var optimizerPath = Path.Combine(directory.Path, TrainingCheckpoint.FolderName, "optimizer.bin");
        var bytes = File.ReadAllBytes(optimizerPath);
        File.WriteAllBytes(optimizerPath, bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<TrainingCheckpointException>(() => TrainingCheckpoint.Restore(Path.Combine(directory.Path, TrainingCheckpoint.FolderName), module, optimizer));

        Assert.Equal(optimizerPath, error.FilePath);
        Assert.Contains("--resume", error.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(optimizerPath));
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("null")]
    [InlineData("""{"Step": "three"}""")]
    [InlineData("""{"Step": 1, "Step": 2}""")]
    public void A_damaged_state_file_names_the_file(string content)
    {
        using var directory = new TempDirectory();
        using var module = nn.Linear(3, 2);
        using var optimizer = SaveAfterOneStep(directory.Path, module);
        var statePath = Path.Combine(directory.Path, TrainingCheckpoint.FolderName, "trainer_state.json");
        File.WriteAllText(statePath, content);

        var error = Assert.Throws<TrainingCheckpointException>(() => TrainingCheckpoint.ReadState(Path.Combine(directory.Path, TrainingCheckpoint.FolderName)));
        Assert.Equal(statePath, error.FilePath);
    }

    [Fact]
    public void The_next_complete_checkpoint_removes_stale_temp_and_old_folders()
    {
        using var directory = new TempDirectory();
        var staleTemp = Directory.CreateDirectory(Path.Combine(directory.Path, ".checkpoint.0123.tmp")).FullName;
        var staleOld = Directory.CreateDirectory(Path.Combine(directory.Path, ".checkpoint.4567.old")).FullName;
        File.WriteAllText(Path.Combine(staleTemp, "weights.safetensors"), "half-written");
        using var module = nn.Linear(3, 2);

        using var optimizer = SaveAfterOneStep(directory.Path, module);

        Assert.False(Directory.Exists(staleTemp));
        Assert.False(Directory.Exists(staleOld));
        Assert.Equal(State.Step, TrainingCheckpoint.ReadState(Path.Combine(directory.Path, TrainingCheckpoint.FolderName)).Step);
    }

    private static TorchSharp.Modules.AdamW SaveAfterOneStep(string directory, nn.Module<Tensor, Tensor> module)
    {
        var optimizer = optim.AdamW(module.parameters(), 0.01);
        using (var input = ones(4, 3))
        using (var output = module.call(input))
        using (var loss = output.sum())
        {
            loss.backward();
        }

        optimizer.step();
        TrainingCheckpoint.Save(directory, State, module, optimizer);
        return optimizer;
    }
}
