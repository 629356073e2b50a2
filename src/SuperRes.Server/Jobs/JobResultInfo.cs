namespace SuperRes.Server.Jobs;

/// <summary>What a succeeded in-process job remembers of its result; the bytes themselves are in <see cref="JobResultFiles"/>.</summary>
public sealed record JobResultInfo(string MediaType, string Extension, bool CacheHit, bool IccProfileDropped)
{
    public const string IccDroppedWarning = "The input's colour profile was over the size limit or unreadable and is not in the result.";
}
