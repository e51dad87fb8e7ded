using Text2Lora.TaskSuite.Inputs;
using Text2Lora.TaskSuite.Lexicon;

namespace Text2Lora.TaskSuite.Tasks;

/// <summary>The "categories" family: a word, phrase or sentence in, a label (or one word of it) out.</summary>
public static class CategoryTasks
{
    /// <summary>Family name in the metadata.</summary>
    public const string Family = "categories";

    /// <summary>All tasks of the family, training and held-out.</summary>
    public static IEnumerable<TaskSpec> All()
    {
        var anyNoun = InputSamplers.NounPhrase([Words.Animals, Words.Foods, Words.Objects]);
        // Half the phrases name an animal, the other half a food or an object.
        var animalOrNot = InputSamplers.NounPhrase([Words.Animals, Words.Animals, Words.Foods, Words.Objects]);
        var foodOrNot = InputSamplers.NounPhrase([Words.Foods, Words.Foods, Words.Animals, Words.Objects]);

        yield return Classify("sentence_sentiment", "positive or negative feeling in a short sentence",
            InputSamplers.FeelingSentence(), Sentiment, ["positive", "negative"]);
        yield return Classify("animal_or_object", "is the noun of the phrase an animal or an object",
            InputSamplers.NounPhrase([Words.Animals, Words.Objects]), p => Category(p) == "food" ? throw Unexpected(p) : Category(p),
            ["animal", "object"]);
        yield return Classify("noun_category", "animal, food or object", anyNoun, Category, ["animal", "food", "object"]);
        yield return Classify("is_animal", "yes if the phrase names an animal, else no", animalOrNot,
            p => Category(p) == "animal" ? "yes" : "no", ["yes", "no"]);
        yield return Classify("color_in_phrase", "the colour word of the phrase",
            InputSamplers.NounPhrase([Words.Animals, Words.Foods, Words.Objects], alwaysColor: true),
            p => p.Split(' ').Single(Words.Colors.Contains), []);
        yield return Classify("first_letter_vowel_or_consonant", "does the word start with a vowel or a consonant",
            InputSamplers.WordByFirstLetter(), w => Letters.IsVowel(w[0]) ? "vowel" : "consonant", ["vowel", "consonant"]);

        yield return Classify("is_food", "yes if the phrase names a food, else no", foodOrNot,
            p => Category(p) == "food" ? "yes" : "no", ["yes", "no"]) with
        {
            Split = TaskSplit.Heldout,
            RelatedTo = ["noun_category", "is_animal"],
        };
        yield return Classify("starts_with_vowel", "yes if the word starts with a vowel, else no",
            InputSamplers.WordByFirstLetter(), w => Letters.IsVowel(w[0]) ? "yes" : "no", ["yes", "no"]) with
        {
            Split = TaskSplit.Heldout,
            RelatedTo = ["first_letter_vowel_or_consonant", "first_letter"],
        };
    }

    /// <summary>"animal", "food" or "object": the category of the phrase's last word.</summary>
    public static string Category(string phrase)
    {
        ArgumentNullException.ThrowIfNull(phrase);
        var noun = phrase.Split(' ')[^1];
        if (Words.Animals.Contains(noun))
        {
            return "animal";
        }

        if (Words.Foods.Contains(noun))
        {
            return "food";
        }

        return Words.Objects.Contains(noun) ? "object" : throw Unexpected(phrase);
    }

    private static string Sentiment(string sentence)
    {
        var words = sentence.Split(' ');
        var positive = words.Count(Words.PositiveFeelings.Contains);
        var negative = words.Count(Words.NegativeFeelings.Contains);
        return (positive, negative) switch
        {
            (1, 0) => "positive",
            (0, 1) => "negative",
            _ => throw Unexpected(sentence),
        };
    }

    private static InvalidOperationException Unexpected(string input) =>
        new($"Input '{input}' does not fit the rule; the sampler and the rule disagree.");

    private static TaskSpec Classify(string name, string summary, InputSource inputs, Func<string, string> rule, IReadOnlyList<string> labels) =>
        new(name, Family, TaskSplit.Train, TaskScoring.Exact, summary, inputs, rule) { Labels = labels };
}
