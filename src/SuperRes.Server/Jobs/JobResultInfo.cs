namespace SuperRes.Server.Jobs;

/// <summary>What a succeeded in-process job remembers of its result; the bytes themselves are held in the server's <see cref="Storage.BoundedFileStore"/>.</summary>
/// <param name="Restore">The restoration strength used and why, when the job's model has a restoring pair.</param>
/// <param name="Notes">What the result left out of the input, in plain sentences.</param>
public sealed record JobResultInfo(string MediaType, string Extension, bool CacheHit, IReadOnlyList<string> Notes, Restoration.RestoreChoice? Restore = null)
{
    /// <summary>The notes as one warning, as the job view and the X-SuperRes-Warning header give it; null when none.</summary>
    public static string? Warning(IReadOnlyList<string> notes) => notes.Count == 0 ? null : string.Join(" ", notes);
}
