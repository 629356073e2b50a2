namespace SuperRes.Server.Pipeline;

/// <summary>
/// The service's one result type: an encoded image as a stream of known length, whether the cache supplied it, and the
/// <see cref="Storage.ResultKey"/> it is stored under; what the synchronous endpoint returns, the caches hold, a job
/// ends with and the job result endpoint streams. (The library's <see cref="UpscaleResult"/> is what it is made from.)
/// The content is the fresh bytes in memory, or a stored result opened when it was found (streamed rather than copied
/// onto the heap); whoever takes the outcome disposes <see cref="Content"/>.
/// </summary>
public sealed record UpscaleOutcome(Stream Content, long Length, string MediaType, string Extension)
{
    /// <summary>A result just made: its bytes, its size and how long it took.</summary>
    public static UpscaleOutcome Fresh(byte[] data, string mediaType, string extension, int width, int height, TimeSpan elapsed) =>
        new(new MemoryStream(data, 0, data.Length, writable: false, publiclyVisible: true), data.Length, mediaType, extension)
        {
            Width = width,
            Height = height,
            Elapsed = elapsed,
        };

    /// <summary>A result read back from storage (a cache file, a job's result, a Redis value), where only the bytes and
    /// their type are kept: its size in pixels and its timings are unknown (0).</summary>
    public static UpscaleOutcome FromStorage(Stream content, string mediaType, string extension, bool cacheHit) =>
        new(content, content.Length, mediaType, extension) { CacheHit = cacheHit };

    public bool CacheHit { get; init; }

    public int Width { get; init; }

    public int Height { get; init; }

    public TimeSpan Elapsed { get; init; }

    public string Key { get; init; } = "";

    /// <summary>The result cache holds these bytes under <see cref="Key"/> (it stored them, or they came from it).</summary>
    public bool Stored { get; init; }

    /// <summary>The input's colour profile was over the limit (or unreadable) and is not in the result.</summary>
    public bool IccProfileDropped { get; init; }

    /// <summary>The restoration strength used and why (null: a model without a restoring pair, or read back from storage,
    /// which keeps only the bytes).</summary>
    public Restoration.RestoreChoice? Restore { get; init; }

    /// <summary>What the result left out of the input, in plain sentences (a dropped profile, frames after the first).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>The whole content as bytes, for a store that takes bytes (Redis): the fresh bytes themselves where the
    /// content is in memory, else read from the start.</summary>
    public ReadOnlyMemory<byte> ReadAll()
    {
        if (Content is MemoryStream memory && memory.TryGetBuffer(out var buffer))
        {
            return buffer;
        }
        Content.Position = 0;
        var copy = new MemoryStream((int)Length);
        Content.CopyTo(copy);
        Content.Position = 0;
        return copy.GetBuffer().AsMemory(0, (int)copy.Length);
    }
}
