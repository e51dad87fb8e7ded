namespace Text2Lora.FuzzRunner;

/// <summary>
/// One input format under fuzzing: the seed folder a case starts from, the file(s) a case mutates and with which
/// structure-aware mutator, and the library call that reads the case (which must either throw a typed bad-input
/// exception or return a result that passes its self-consistency check).
/// </summary>
/// <param name="Name">Format name on the command line and in reports.</param>
/// <param name="SeedFolder">Folder under <c>Seeds/</c> copied into each case folder.</param>
/// <param name="Targets">Files of the case folder a case may mutate (one is picked per case) and the mutator for each.</param>
/// <param name="Read">Reads the case folder; throws for bad input; throws <see cref="InconsistentResultException"/> when an accepted input gives an inconsistent result.</param>
internal sealed record FuzzFormat(
    string Name,
    string SeedFolder,
    IReadOnlyList<(string File, Func<Random, byte[], byte[]> Mutate)> Targets,
    Action<string> Read);

/// <summary>An input was accepted but what came out of it contradicts itself (a shape, an id out of range, a non-finite value).</summary>
internal sealed class InconsistentResultException(string message) : Exception(message);
