using Text2Lora.Reproduction;
using Text2Lora.Tests.TaskSuite;
using Text2Lora.Tasks;
using Text2Lora.Tests.Infrastructure;

namespace Text2Lora.Tests.Cli;

/// <summary>The control rows' descriptions: another family's task, or random words; seeded.</summary>
[Trait(TestCategory.Key, TestCategory.EndToEnd)]
public sealed class ControlDescriptionsTests
{
    private static readonly IReadOnlyList<TrainingTask> Train = TaskFolderReader.ReadTasks(CommittedSuite.Root, CommittedSuite.TrainTasks);
    private static readonly IReadOnlyList<TrainingTask> All = TaskFolderReader.ReadTasks(CommittedSuite.Root, CommittedSuite.AllTasks);

    [Fact]
    public void Unrelated_descriptions_come_from_a_training_task_of_another_family()
    {
        var controls = new ControlDescriptions(All, Train, seed: 7);

        foreach (var task in All)
        {
            var unrelated = controls.UnrelatedTask(task.Name);
            Assert.NotEqual(task.Family, unrelated.Family);
            Assert.Contains(unrelated.Name, CommittedSuite.TrainTasks);
            Assert.Equal(unrelated.Descriptions[5 % unrelated.Descriptions.Count], controls.Unrelated(task.Name, 5));
        }
    }

    [Fact]
    public void Random_descriptions_are_seeded_word_strings_that_are_no_tasks_description()
    {
        var controls = new ControlDescriptions(All, Train, seed: 7);
        var again = new ControlDescriptions(All, Train, seed: 7);
        var other = new ControlDescriptions(All, Train, seed: 8);
        var real = All.SelectMany(t => t.Descriptions).ToHashSet(StringComparer.Ordinal);

        foreach (var task in All)
        {
            for (var i = 0; i < task.Descriptions.Count; i++)
            {
                var text = controls.Random(task.Name, i);
                Assert.Equal(text, again.Random(task.Name, i));
                Assert.DoesNotContain(text, real);
                Assert.InRange(text.Split(' ').Length, 4, 12);
                Assert.EndsWith(".", text, StringComparison.Ordinal);
            }
        }

        Assert.NotEqual(controls.Random("add_one", 0), other.Random("add_one", 0));
    }
}
