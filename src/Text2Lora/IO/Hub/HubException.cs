namespace Text2Lora.IO.Hub;

/// <summary>A hub download or cache lookup failed; the message names the repository and what to do.</summary>
public class HubException : IOException
{
    /// <summary>Creates the exception.</summary>
    public HubException(string repoId, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        RepoId = repoId;
    }

    /// <summary>The repository, <c>org/name</c>.</summary>
    public string RepoId { get; }
}
