namespace SuperRes.Server.Jobs;

/// <summary>
/// The service's one result type: an encoded image, whether the cache supplied it, and the
/// <see cref="Caching.ResultKey"/> it is stored under; what the synchronous endpoint returns, the caches hold, a job
/// ends with and the job result endpoint streams. (The library's <see cref="UpscaleResult"/> is what it is made from.)
/// The bytes are <see cref="Data"/>, or, for a hit in the local disk cache, the open <see cref="CachedFile"/>
/// (streamed rather than copied onto the heap; whoever takes the outcome disposes it through <see cref="OpenRead"/>).
/// </summary>
public sealed record UpscaleOutcome(byte[] Data, string MediaType, string Extension, bool CacheHit, int Width, int Height, TimeSpan Elapsed)
{
    public string Key { get; init; } = "";

    /// <summary>A result read back from storage (a cache file, a job's result file or Redis value), where only the
    /// bytes and their type are kept: its size and timings are unknown (0).</summary>
    public static UpscaleOutcome FromStorage(Stream content, string mediaType, string extension, bool cacheHit) =>
        new([], mediaType, extension, cacheHit, 0, 0, TimeSpan.Zero) { CachedFile = content };

    /// <summary>The stored file or bytes, opened when they were found (so an eviction meanwhile cannot take them away).</summary>
    public Stream? CachedFile { get; init; }

    /// <summary>The result's bytes as a stream the caller disposes.</summary>
    public Stream OpenRead() => CachedFile ?? new MemoryStream(Data, writable: false);

    /// <summary>The result cache holds these bytes under <see cref="Key"/> (it stored them, or they came from it).</summary>
    public bool Stored { get; init; }

    /// <summary>The input's colour profile was over the limit (or unreadable) and is not in the result.</summary>
    public bool IccProfileDropped { get; init; }

    /// <summary>The restoration strength used and why (null: a model without a restoring pair, or read back from storage,
    /// which keeps only the bytes).</summary>
    public Restoration.RestoreChoice? Restore { get; init; }

    /// <summary>What the result left out of the input, in plain sentences (a dropped profile, frames after the first).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
