namespace Text2Lora.TaskSuite.V2.Lexicon;

/// <summary>A category of simple English nouns or colour words; the categories' word lists are disjoint.</summary>
/// <param name="Key">Short name used in task names ("animals").</param>
/// <param name="PluralNames">Plural names ("animals", "animal words").</param>
/// <param name="SingularNames">Names with an article ("an animal").</param>
/// <param name="Members">The category's words.</param>
public sealed record WordCategory(string Key, IReadOnlyList<string> PluralNames, IReadOnlyList<string> SingularNames, IReadOnlyList<string> Members)
{
    /// <summary>Every category, in a fixed order; no word is in two of them (checked on first use).</summary>
    public static IReadOnlyList<WordCategory> All { get; } = Checked(
    [
        new("animals", ["animals", "animal words"], ["an animal", "a kind of animal"],
            ["cat", "dog", "cow", "pig", "horse", "sheep", "goat", "duck", "frog", "lion"]),
        new("fruits", ["fruits", "kinds of fruit"], ["a fruit", "a kind of fruit"],
            ["apple", "pear", "plum", "grape", "peach", "lemon", "cherry", "banana", "melon", "mango"]),
        new("vegetables", ["vegetables", "veggies"], ["a vegetable", "a kind of vegetable"],
            ["carrot", "onion", "bean", "pea", "potato", "cabbage", "pepper", "lettuce", "corn", "pumpkin"]),
        new("drinks", ["drinks", "things to drink"], ["a drink", "something to drink"],
            ["milk", "tea", "juice", "water", "coffee", "soda", "cocoa", "lemonade", "cider", "smoothie"]),
        new("clothes", ["clothes", "pieces of clothing"], ["a piece of clothing", "something to wear"],
            ["shirt", "sock", "hat", "coat", "dress", "scarf", "shoe", "glove", "skirt", "boot"]),
        new("vehicles", ["vehicles", "means of transport"], ["a vehicle", "a means of transport"],
            ["car", "bus", "truck", "train", "boat", "plane", "bike", "van", "ship", "tractor"]),
        new("furniture", ["pieces of furniture", "furniture words"], ["a piece of furniture", "an item of furniture"],
            ["chair", "table", "bed", "sofa", "desk", "shelf", "stool", "bench", "couch", "cupboard"]),
        new("toys", ["toys", "things to play with"], ["a toy", "something to play with"],
            ["ball", "doll", "kite", "puzzle", "robot", "teddy", "rattle", "marble", "whistle", "yoyo"]),
        new("body_parts", ["body parts", "parts of the body"], ["a body part", "a part of the body"],
            ["hand", "foot", "nose", "ear", "eye", "arm", "leg", "knee", "chin", "elbow"]),
        new("weather", ["weather words", "kinds of weather"], ["a kind of weather", "a weather word"],
            ["rain", "snow", "wind", "fog", "storm", "hail", "cloud", "sunshine", "frost", "thunder"]),
        new("places", ["places", "place names"], ["a place", "a kind of place"],
            ["park", "school", "shop", "farm", "beach", "zoo", "library", "castle", "garden", "forest"]),
        new("family", ["family members", "relatives"], ["a family member", "a relative"],
            ["mother", "father", "sister", "brother", "aunt", "uncle", "cousin", "grandma", "grandpa", "baby"]),
        new("tools", ["tools", "work tools"], ["a tool", "a work tool"],
            ["hammer", "saw", "drill", "wrench", "shovel", "rake", "axe", "ladder", "pliers", "chisel"]),
        new("instruments", ["musical instruments", "instruments"], ["a musical instrument", "an instrument"],
            ["piano", "guitar", "violin", "flute", "trumpet", "harp", "banjo", "cello", "tuba", "drum"]),
        new("shapes", ["shapes", "shape names"], ["a shape", "a shape name"],
            ["circle", "square", "triangle", "oval", "star", "heart", "diamond", "cube", "cone", "sphere"]),
        new("colors", ["colours", "colour words"], ["a colour", "a colour word"],
            ["red", "blue", "green", "yellow", "pink", "purple", "orange", "brown", "black", "white"]),
    ]);

    /// <summary>The category named <paramref name="key"/>.</summary>
    public static WordCategory Named(string key) => All.Single(c => c.Key == key);

    private static List<WordCategory> Checked(List<WordCategory> categories)
    {
        var owner = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var category in categories)
        {
            foreach (var word in category.Members)
            {
                if (!owner.TryAdd(word, category.Key))
                {
                    throw new InvalidOperationException($"'{word}' is in both {owner[word]} and {category.Key}.");
                }
            }
        }

        return categories;
    }
}
