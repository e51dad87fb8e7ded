namespace Text2Lora.TaskSuite.Lexicon;

/// <summary>Letter classes used by the rules.</summary>
public static class Letters
{
    /// <summary>True for a, e, i, o and u (the suite's vowels; y counts as a consonant).</summary>
    public static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u';
}
