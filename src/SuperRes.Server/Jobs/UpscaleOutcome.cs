namespace SuperRes.Server.Jobs;

/// <summary>
/// An encoded result, whether the cache supplied it, and the <see cref="Caching.ResultKey"/> it is stored under.
/// The bytes are <see cref="Data"/>, or, for a hit in the local disk cache, the open <see cref="CachedFile"/>
/// (streamed rather than copied onto the heap; whoever takes the outcome disposes it through <see cref="OpenRead"/>).
/// </summary>
public sealed record UpscaleOutcome(byte[] Data, string MediaType, string Extension, bool CacheHit, int Width, int Height, TimeSpan Elapsed)
{
    public string Key { get; init; } = "";

    /// <summary>The cache file, opened when it was found (so an eviction meanwhile cannot take it away).</summary>
    public Stream? CachedFile { get; init; }

    /// <summary>The result's bytes as a stream the caller disposes.</summary>
    public Stream OpenRead() => CachedFile ?? new MemoryStream(Data, writable: false);

    /// <summary>The result cache holds these bytes under <see cref="Key"/> (it stored them, or they came from it).</summary>
    public bool Stored { get; init; }

    /// <summary>The input's colour profile was over the limit (or unreadable) and is not in the result.</summary>
    public bool IccProfileDropped { get; init; }
}
