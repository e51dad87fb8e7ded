using Text2Lora.Hypernetworks;
using Text2Lora.Tests.Fakes;
using Text2Lora.Tests.Infrastructure;
using Text2Lora.Training.Data;
using Text2Lora.Training.Hypernetworks;
using Text2Lora.Training.Lora;
using Text2Lora.Training.Loop;
using Text2Lora.Training.Models;
using Text2Lora.Training.Reconstruction;
using Text2Lora.Training.Sft;
using TorchSharp;
using static TorchSharp.torch;

namespace Text2Lora.Tests.Training.Trainers;

/// <summary>
/// A training step must not leak native tensors: called without any enclosing dispose scope (the loop adds one, which
/// would hide a leak), every tensor a loss or validation computation creates is disposed except the returned loss.
/// </summary>
// Builds trainers, which seed the global torch generator: never interleaved with the runs that depend on it.
[Trait(TestCategory.Key, TestCategory.Memory)]
[Collection(nameof(GlobalTorchRngCollection))]
public sealed class ObjectiveMemoryTests
{
    [Fact]
    public void Lora_steps_and_validation_leave_no_live_tensors()
    {
        using var dir = new TempDirectory();
        var options = new LoraTrainerOptions
        {
            BaseModel = TrainerFixtures.Stories260k,
            Data = new TaskDataOptions { TasksDirectory = TrainerFixtures.TaskSuite, TrainTasks = ["add_one", "add_two"], ValidationExamplesPerTask = 4 },
            Lora = new LoraAdapterOptions { Rank = 4, TargetModules = ["q_proj", "v_proj"] },
            BatchSize = 4,
            LabelSmoothing = 0.1,
            NeftuneNoiseAlpha = 5,
            Loop = TrainerFixtures.Loop(dir.Path, 1, 1e-3),
        };
        using var baseModel = LoadedBaseModel.Load(options.BaseModel);
        var data = TaskDataset.Load(options.Data, baseModel.Formatter);
        using var objective = new LoraTrainer(options).CreateObjective(baseModel, data);
        AssertNoLeak(objective);
    }

    [Fact]
    public void Sft_steps_and_validation_leave_no_live_tensors()
    {
        using var dir = new TempDirectory();
        var options = new SftTrainerOptions
        {
            BaseModel = TrainerFixtures.Stories260k,
            Data = new TaskDataOptions { TasksDirectory = TrainerFixtures.TaskSuite, TrainTasks = ["add_one", "add_two"], ValidationTasks = ["add_three"], ValidationExamplesPerTask = 4 },
            Lora = new LoraAdapterOptions { Rank = 4, TargetModules = ["q_proj", "v_proj"] },
            Hypernetwork = new HypernetworkOptions { Size = HypernetworkSize.S, LatentSize = 32, HeadInSize = 32 },
            TasksPerBatch = 2,
            ExamplesPerTask = 2,
            DescriptionsPerTask = 2,
            Loop = TrainerFixtures.Loop(dir.Path, 1, 1e-3),
        };
        using var objective = new SftTrainer(options, SharedMiniLm.Instance).CreateObjective(CancellationToken.None);
        AssertNoLeak(objective);
    }

    [Fact]
    public void Reconstruction_steps_leave_no_live_tensors()
    {
        using var dir = new TempDirectory();
        var options = new ReconstructionTrainerOptions
        {
            BaseModelDirectory = TrainerFixtures.Stories260k.Directory,
            AdaptersDirectory = Path.Combine(TrainerFixtures.RepoRoot, "data", "oracle-adapters", "stories260k"),
            TasksDirectory = TrainerFixtures.TaskSuite,
            Tasks = ["add_one", "add_two", "add_five"],
            Hypernetwork = new HypernetworkOptions { Size = HypernetworkSize.M, LatentSize = 32, HeadInSize = 32 },
            TasksPerBatch = 2,
            DescriptionsPerTask = 2,
            Loop = TrainerFixtures.Loop(dir.Path, 1, 1e-3),
        };
        using var objective = new ReconstructionTrainer(options, SharedMiniLm.Instance).CreateObjective(CancellationToken.None);
        AssertNoLeak(objective);
    }

    private static void AssertNoLeak(ITrainingObjective objective)
    {
        var random = new TrainingRandom(9);
        objective.TrainableModule.train();

        void Step(int i)
        {
            using (var loss = objective.ComputeLoss(new TrainingStepContext(i, 0, random)))
            {
                loss.backward();
            }

            objective.TrainableModule.eval();
            using (no_grad())
            {
                objective.ComputeValidationLoss(CancellationToken.None);
            }

            objective.TrainableModule.train();
        }

        // Warm-up: the first backward allocates the parameters' .grad tensors, which then live with the module.
        Step(0);
        Step(1);
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (var i = 2; i < 7; i++)
        {
            Step(i);
        }

        // Exact: TorchSharp counts every tensor handle this thread created and has not disposed.
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
