namespace SuperRes.Server.Jobs;

/// <summary>An encoded result, whether the cache supplied it, and the <see cref="Caching.ResultKey"/> it is stored under.</summary>
public sealed record UpscaleOutcome(byte[] Data, string MediaType, string Extension, bool CacheHit, int Width, int Height, TimeSpan Elapsed)
{
    public string Key { get; init; } = "";

    /// <summary>The result cache holds these bytes under <see cref="Key"/> (it stored them, or they came from it).</summary>
    public bool Stored { get; init; }

    /// <summary>The input's colour profile was over the limit (or unreadable) and is not in the result.</summary>
    public bool IccProfileDropped { get; init; }
}
