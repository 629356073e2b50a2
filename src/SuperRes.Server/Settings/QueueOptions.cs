using System.ComponentModel.DataAnnotations;

namespace SuperRes.Server.Settings;

/// <summary>
/// Where jobs wait (section "SuperRes:Queue"). Without <see cref="Redis"/>, in this process; with it, in a
/// Redis stream shared by every node, with status, progress and images in Redis (or <see cref="PayloadDirectory"/>).
/// </summary>
public sealed class QueueOptions
{
    /// <summary>StackExchange.Redis connection string, e.g. "redis-host:6379,password=..."; null = in-process queue.</summary>
    public string? Redis { get; set; }

    /// <summary>Prefix of every key, so several deployments can share one Redis.</summary>
    public string KeyPrefix { get; set; } = "superres:";

    /// <summary>A folder every node mounts, for input and result images instead of Redis; null = Redis.</summary>
    public string? PayloadDirectory { get; set; }

    /// <summary>
    /// How long a running job's worker may stay silent before another worker takes the job over. Workers
    /// renew their claim every <see cref="Heartbeat"/> whatever the job's length, so this only has to
    /// cover the longest stall of a live worker (measured below 1 s with both cores busy), not the job.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long an uploaded image waits for a worker before it expires with its job.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan PayloadTimeToLive { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often an idle worker looks for work when no submit notification arrives.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan IdlePoll { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Runs of one job (its first and any takeovers after its worker died); past it the job fails. A job that kills every worker that runs it ends here.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>Largest image kept in Redis (without <see cref="PayloadDirectory"/>); larger uploads and results fail their job with that reason.</summary>
    [Range(1L, 512L * 1024 * 1024)] // Redis refuses values over 512 MB
    public long MaxRedisValueBytes { get; set; } = 16 * 1024 * 1024;

    public bool Enabled => !string.IsNullOrWhiteSpace(Redis);
}
