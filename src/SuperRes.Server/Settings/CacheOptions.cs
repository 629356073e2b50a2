using System.ComponentModel.DataAnnotations;

namespace SuperRes.Server.Settings;

/// <summary>Results kept for the next identical request (section "Cache").</summary>
public sealed class CacheOptions
{
    /// <summary>Folder of result files (the cache's, and in-process jobs' results); null = a "results" folder beside the model store.</summary>
    public string? Directory { get; set; }

    /// <summary>Size cap; least recently used results go first. 0 disables the cache. With Redis, the cap is Redis's maxmemory.</summary>
    [Range(0L, long.MaxValue)]
    public long MaxBytes { get; set; } = 1L * 1024 * 1024 * 1024;

    /// <summary>With Redis: how long a shared cached result lives after it was last written.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromHours(24);
}
