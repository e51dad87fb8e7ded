using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Text2Lora.IO.Hub;

/// <summary>
/// A model on the Hugging Face hub: <c>org/name[@revision][:subfolder]</c>, e.g.
/// <c>SakanaAI/text-to-lora:trained_t2l/mistral_7b_t2l</c> or <c>mistralai/Mistral-7B-Instruct-v0.2@main</c>.
/// The subfolder comes after a colon because revisions may themselves contain slashes (<c>refs/pr/1</c>),
/// so <c>org/name@refs/pr/1:sub/dir</c> stays unambiguous.
/// </summary>
/// <param name="RepoId">The repository, <c>org/name</c>.</param>
/// <param name="Revision">A branch, tag or commit hash; <c>main</c> when the reference names none.</param>
/// <param name="Subfolder">A folder inside the repository (forward slashes), or <see langword="null"/>.</param>
public sealed partial record HubReference(string RepoId, string Revision, string? Subfolder)
{
    /// <summary>The revision used when a reference names none.</summary>
    public const string DefaultRevision = "main";

    /// <summary>
    /// Parses <paramref name="text"/>; <see langword="false"/> when it is not of the form
    /// <c>org/name[@revision][:subfolder]</c> (an existing local folder should be checked before calling this).
    /// </summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out HubReference? reference)
    {
        reference = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var match = Syntax().Match(text.Trim());
        if (!match.Success)
        {
            return false;
        }

        var repo = match.Groups["repo"].Value;
        if (repo.Contains("..", StringComparison.Ordinal) || repo.Contains("--", StringComparison.Ordinal))
        {
            return false;
        }

        var revision = match.Groups["rev"].Success ? match.Groups["rev"].Value : DefaultRevision;
        var subfolder = match.Groups["sub"].Success ? match.Groups["sub"].Value.Trim('/') : null;
        if (subfolder is not null && (subfolder.Length == 0 || subfolder.Split('/').Any(part => part is "" or "." or "..")))
        {
            return false;
        }

        if (revision.Split('/').Any(part => part is "" or "." or ".."))
        {
            return false;
        }

        reference = new HubReference(repo, revision, subfolder);
        return true;
    }

    /// <summary>Parses <paramref name="text"/> or throws <see cref="ArgumentException"/> naming the expected syntax.</summary>
    public static HubReference Parse(string text) =>
        TryParse(text, out var reference)
            ? reference
            : throw new ArgumentException($"'{text}' is not a hub reference of the form org/name[@revision][:subfolder].", nameof(text));

    /// <summary>The reference in its textual form.</summary>
    public override string ToString() =>
        RepoId + (Revision == DefaultRevision ? string.Empty : "@" + Revision) + (Subfolder is null ? string.Empty : ":" + Subfolder);

    // Repo ids as the hub allows them: letters, digits, '-', '_', '.'; exactly one slash.
    [GeneratedRegex(@"^(?<repo>[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*)(@(?<rev>[A-Za-z0-9._/-]+))?(:(?<sub>[A-Za-z0-9._/ -]+))?$")]
    private static partial Regex Syntax();
}
