using System.ComponentModel.DataAnnotations;
using SuperRes.Imaging;

namespace SuperRes.Server.Settings;

/// <summary>Jobs (section "Jobs"): how many run and wait, and how long finished ones are kept.</summary>
public sealed class JobOptions
{
    /// <summary>Jobs running at once (they share one engine pool).</summary>
    [Range(1, 1024)]
    public int Workers { get; set; } = 1;

    /// <summary>Jobs waiting to run; more get 429 with Retry-After.</summary>
    [Range(1, 1_000_000)]
    public int QueueCapacity { get; set; } = 32;

    /// <summary>How long finished jobs and their results are kept.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan TimeToLive { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often expired jobs are swept.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Finished jobs' results kept on disk, in bytes; the oldest go first past it (they then answer 404).</summary>
    [Range(1L, long.MaxValue)]
    public long ResultsMaxBytes { get; set; } = 2L * 1024 * 1024 * 1024;
}
