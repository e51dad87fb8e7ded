using System.Text.RegularExpressions;
using Text2Lora.TaskSuite.V2;

namespace Text2Lora.Tests.TaskSuite;

/// <summary>
/// Suite v2's descriptions, read from the committed files: many per training task, from many phrasings, with
/// digits and number words; held-out and validation descriptions share no template with training ones. A template
/// is matched as a regular expression whose slots match any text, so a held-out description that merely changes a
/// parameter value of a training phrasing is still caught.
/// </summary>
public sealed class TaskSuiteV2DescriptionTests
{
    private static readonly Lazy<TemplateCatalog> Catalog = new(TemplateCatalog.Load);

    private static SuiteFolder Suite => SuiteFolder.V2;

    private static IReadOnlyList<string> Train => Suite.ManifestList("train");

    private static IEnumerable<string> HeldoutAndValidation => Suite.ManifestList("heldout").Concat(Suite.ManifestList("validation"));

    [Fact]
    public void Training_tasks_have_at_least_64_distinct_descriptions_and_heldout_tasks_at_least_32()
    {
        Assert.All(Train, t => Assert.True(Suite.Task(t).Descriptions.Distinct(StringComparer.OrdinalIgnoreCase).Count() >= 64, t));
        Assert.All(HeldoutAndValidation, t => Assert.True(Suite.Task(t).Descriptions.Distinct(StringComparer.OrdinalIgnoreCase).Count() >= 32, t));
    }

    [Fact]
    public void No_heldout_description_matches_any_training_template_whatever_its_slot_values()
    {
        var patterns = Catalog.Value.AllTraining.Select(t => (t.Text, Pattern: t.ToPattern())).ToList();

        var matches = HeldoutAndValidation
            .SelectMany(t => Suite.Task(t).Descriptions.Select(d => (Task: t, Description: d)))
            .SelectMany(x => patterns.Where(p => p.Pattern.IsMatch(DescriptionTemplate.PatternKey(x.Description)))
                .Select(p => $"{x.Task}: '{x.Description}' fits training template '{p.Text}'"))
            .ToList();

        Assert.Empty(matches);
    }

    [Fact]
    public void Every_description_fits_a_template_of_its_own_side_so_the_template_check_is_not_vacuous()
    {
        foreach (var name in Train.Concat(HeldoutAndValidation))
        {
            var task = Suite.Task(name);
            var templates = task.Split == "train" ? Catalog.Value[task.Family].Train : Catalog.Value[task.Family].Heldout;
            var patterns = templates.Select(t => t.ToPattern()).ToList();
            Assert.All(task.Descriptions, d => Assert.Contains(patterns, p => p.IsMatch(DescriptionTemplate.PatternKey(d))));
        }
    }

    [Fact]
    public void Each_training_task_draws_on_at_least_eight_phrasings()
    {
        foreach (var name in Train)
        {
            var task = Suite.Task(name);
            var templates = Catalog.Value[task.Family].Train;
            var used = templates.Count(t => task.Descriptions.Any(d => t.ToPattern().IsMatch(DescriptionTemplate.PatternKey(d))));
            Assert.True(used >= 8, $"{name}: {used} templates");
        }
    }

    [Fact]
    public void Parameterised_tasks_name_their_number_both_in_digits_and_in_words()
    {
        string[] words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen"];
        string[] ordinals = ["", "first", "second", "third", "fourth", "fifth", "sixth"];
        foreach (var name in Train.Concat(HeldoutAndValidation))
        {
            var task = Suite.Task(name);
            if (task.Parameters.TryGetValue("k", out var k) && int.Parse(k, System.Globalization.CultureInfo.InvariantCulture) < words.Length)
            {
                Assert.Contains(task.Descriptions, d => Regex.IsMatch(d, $@"\b{k}\b"));
                Assert.Contains(task.Descriptions, d => Regex.IsMatch(d, $@"\b{words[int.Parse(k, System.Globalization.CultureInfo.InvariantCulture)]}\b", RegexOptions.IgnoreCase));
            }

            if (task.Parameters.TryGetValue("n", out var n))
            {
                Assert.Contains(task.Descriptions, d => Regex.IsMatch(d, $@"\b{n}(st|nd|rd|th)\b"));
                Assert.Contains(task.Descriptions, d => Regex.IsMatch(d, $@"\b{ordinals[int.Parse(n, System.Globalization.CultureInfo.InvariantCulture)]}\b", RegexOptions.IgnoreCase));
            }
        }
    }

    [Fact]
    public void No_description_is_shared_by_two_tasks_and_no_heldout_description_occurs_in_training()
    {
        var owners = Train.Concat(HeldoutAndValidation)
            .SelectMany(t => Suite.Task(t).Descriptions.Select(d => (Task: t, Key: d.ToLowerInvariant())))
            .GroupBy(x => x.Key)
            .Where(g => g.Select(x => x.Task).Distinct().Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(x => x.Task).Distinct())}")
            .ToList();

        Assert.Empty(owners);
    }

    [Fact]
    public void Training_and_heldout_templates_are_disjoint_in_the_catalog()
    {
        var training = Catalog.Value.AllTraining.Select(t => DescriptionTemplate.PatternKey(t.Text)).ToHashSet(StringComparer.Ordinal);

        Assert.DoesNotContain(Catalog.Value.AllHeldout, t => training.Contains(DescriptionTemplate.PatternKey(t.Text)));
        Assert.All(Catalog.Value.Families.Where(f => f.Value.Train.Count > 0), f => Assert.True(f.Value.Train.Count >= 8, f.Key));
    }

    [Fact]
    public void A_template_pattern_matches_its_expansions_for_any_slot_value_and_not_other_phrasings()
    {
        var template = new DescriptionTemplate("[Add|Put] {k} to the number.[| Answer briefly.]");
        var pattern = template.ToPattern();

        Assert.Equal(["Add 7 to the number.", "Add 7 to the number. Answer briefly.", "Put 7 to the number.", "Put 7 to the number. Answer briefly."],
            template.Expand(new Dictionary<string, IReadOnlyList<string>> { ["k"] = ["7"] }));
        Assert.Matches(pattern, DescriptionTemplate.PatternKey("Add forty two to the number"));
        Assert.Matches(pattern, DescriptionTemplate.PatternKey("put 3 to the  number. Answer briefly."));
        Assert.DoesNotMatch(pattern, DescriptionTemplate.PatternKey("Add 7 to the value."));
        Assert.DoesNotMatch(pattern, DescriptionTemplate.PatternKey("Compute the sum of the number and 7."));
    }
}
