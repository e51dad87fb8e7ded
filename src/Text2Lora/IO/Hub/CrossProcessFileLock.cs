namespace Text2Lora.IO.Hub;

/// <summary>
/// An exclusive lock on a lock file shared by every process (opened with <see cref="FileShare.None"/>, which .NET
/// maps to an advisory <c>flock</c> on Unix — the lock Python's filelock takes — and to a sharing lock on Windows).
/// </summary>
internal sealed class CrossProcessFileLock : IDisposable
{
    private readonly FileStream _stream;

    private CrossProcessFileLock(FileStream stream) => _stream = stream;

    /// <summary>Waits until the lock on <paramref name="path"/> is free and takes it.</summary>
    public static async Task<CrossProcessFileLock> AcquireAsync(string path, Action? onWait, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var waited = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return new CrossProcessFileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException) when (File.Exists(path))
            {
                // Held by another process (or another download in this one): poll, as filelock does.
                if (!waited)
                {
                    onWait?.Invoke();
                    waited = true;
                }

                await Task.Delay(100, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public void Dispose() => _stream.Dispose();
}
