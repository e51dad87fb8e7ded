namespace Text2Lora.TaskSuite.Lexicon;

/// <summary>
/// The suite's hand-picked vocabulary: short, simple English words of the kind found in children's stories
/// (the tiny base model's tokenizer was trained on TinyStories). All lowercase ASCII, no duplicates inside a list,
/// and no word in more than one of <see cref="Animals"/>, <see cref="Foods"/> and <see cref="Objects"/>.
/// </summary>
public static class Words
{
    // Declared first: static initializers run in textual order and RegularNouns reads this set.
    private static readonly HashSet<string> NonRegularNouns = new(StringComparer.Ordinal)
    {
        // Irregular plurals.
        "mouse", "sheep", "fish", "goose", "deer", "wolf", "potato", "tomato",
        // Uncountable (mass) nouns.
        "milk", "rice", "honey", "juice", "bread", "tea", "soup", "cheese", "jam", "corn", "toast", "pasta", "salad",
    };

    /// <summary>Animals.</summary>
    public static IReadOnlyList<string> Animals { get; } =
    [
        "cat", "dog", "bird", "fish", "cow", "pig", "duck", "frog", "bear", "lion",
        "horse", "sheep", "mouse", "rabbit", "fox", "owl", "bee", "ant", "goat", "hen",
        "wolf", "deer", "seal", "whale", "snake", "tiger", "zebra", "monkey", "puppy", "kitten",
        "bunny", "turtle", "camel", "crab", "eagle", "goose", "llama", "panda", "shark", "otter",
        "elephant", "pony", "squirrel", "donkey", "parrot", "spider", "beetle", "worm",
    ];

    /// <summary>Things to eat or drink.</summary>
    public static IReadOnlyList<string> Foods { get; } =
    [
        "apple", "cake", "bread", "milk", "pie", "egg", "soup", "candy", "cookie", "banana",
        "pear", "jam", "rice", "corn", "honey", "grape", "lemon", "peach", "plum", "carrot",
        "bean", "nut", "cheese", "pizza", "juice", "tea", "muffin", "berry", "melon", "toast",
        "onion", "olive", "cherry", "pasta", "salad", "waffle", "noodle", "potato", "tomato", "donut",
    ];

    /// <summary>Things that are neither animals nor food.</summary>
    public static IReadOnlyList<string> Objects { get; } =
    [
        "ball", "box", "cup", "hat", "car", "book", "toy", "bed", "door", "kite",
        "boat", "chair", "spoon", "shoe", "sock", "drum", "bell", "lamp", "rope", "sled",
        "truck", "train", "clock", "brush", "coat", "bag", "key", "mug", "pen", "rug",
        "swing", "table", "vase", "wagon", "block", "doll", "robot", "crayon", "umbrella", "bucket",
        "pillow", "blanket", "window", "basket", "button", "ladder", "dish", "glass",
    ];

    /// <summary>Colour words.</summary>
    public static IReadOnlyList<string> Colors { get; } =
    [
        "red", "blue", "green", "yellow", "pink", "purple", "orange", "brown", "black", "white", "gray",
    ];

    /// <summary>Size and age adjectives for noun phrases (never colours, never feelings).</summary>
    public static IReadOnlyList<string> Sizes { get; } =
    [
        "big", "small", "little", "tiny", "old", "new", "huge", "soft",
    ];

    /// <summary>Feelings that count as positive.</summary>
    public static IReadOnlyList<string> PositiveFeelings { get; } =
    [
        "happy", "glad", "kind", "nice", "good", "brave", "proud", "calm",
        "cheerful", "friendly", "joyful", "gentle", "sweet", "jolly", "lucky", "excited",
    ];

    /// <summary>Feelings that count as negative.</summary>
    public static IReadOnlyList<string> NegativeFeelings { get; } =
    [
        "sad", "angry", "mean", "scared", "upset", "grumpy", "rude", "lonely",
        "sick", "cross", "gloomy", "cruel", "bored", "worried", "afraid", "unhappy",
    ];

    /// <summary>Story names (capitalized, used only inside sentences).</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "Lily", "Tim", "Ben", "Sue", "Max", "Mia", "Sam", "Anna", "Tom", "Lucy", "Jack", "Emma", "Zoe", "Leo",
    ];

    /// <summary>Other everyday words: nature, places and verbs.</summary>
    public static IReadOnlyList<string> Other { get; } =
    [
        "sun", "moon", "star", "tree", "rain", "snow", "park", "sky", "hill", "sea",
        "wind", "leaf", "rock", "grass", "flower", "cloud", "river", "house", "garden", "forest",
        "jump", "run", "play", "sing", "swim", "read", "walk", "hop", "smile", "laugh",
        "look", "help", "share", "dance", "sleep", "climb", "kick", "bake", "draw", "paint",
        "hug", "ice", "island", "arrow", "uncle", "oven", "acorn", "igloo", "insect", "ink",
    ];

    /// <summary>Every lowercase word above (names excluded), deduplicated, in a fixed order.</summary>
    public static IReadOnlyList<string> AllLowercase { get; } = BuildAll();

    /// <summary>Nouns with a regular English plural (irregular, uncountable and -f/-fe nouns excluded).</summary>
    public static IReadOnlyList<string> RegularNouns { get; } =
    [
        .. Animals.Concat(Objects).Concat(Foods).Where(w => !NonRegularNouns.Contains(w)),
    ];
    private static List<string> BuildAll()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return
        [
            .. Animals.Concat(Foods).Concat(Objects).Concat(Colors).Concat(Sizes)
                .Concat(PositiveFeelings).Concat(NegativeFeelings).Concat(Other)
                .Where(seen.Add),
        ];
    }
}
